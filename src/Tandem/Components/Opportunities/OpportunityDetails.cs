using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Opportunities;

namespace Tandem.Components.Opportunities;

/// <summary>One stage move of the deal, with who moved it by name.</summary>
public sealed record DealStep(DateTime At, string? From, string To, Outcome Outcome, string Actor);

/// <summary>A touch on the deal's attribution path and the credit it earns under <see cref="OpportunityDetails.Model"/>.</summary>
public sealed record CreditedTouch(DateTime At, TouchType Type, Channel Channel, string? Campaign, double Share, long CreditMinor);

/// <summary>Someone involved in the deal: its primary person, or an account colleague who became an MQL while it was open.</summary>
public sealed record DealPerson(int Id, string Name, string? Title, LifecycleStage Stage, string Role, int Touches);

/// <summary>Marketing's credit on a deal that already existed when one of its account's people qualified (decision 0030).</summary>
public sealed record DealInfluence(int PersonId, string PersonName, DateTime At, string? Note);

/// <summary>Everything the opportunity page shows, with referenced records resolved to names.</summary>
public sealed record OpportunityDetails(Opportunity Deal, string? Account, string? Owner, IReadOnlyList<DealStep> Stages,
    IReadOnlyList<DealPerson> People, IReadOnlyList<CreditedTouch> Path, IReadOnlyList<DealInfluence> Influence)
{
    /// <summary>The Attribution report's default model, so the page and the report agree on a deal's credit.</summary>
    public const string Model = Attribution.WShaped;

    /// <summary>Null when there is no such deal.</summary>
    public static async Task<OpportunityDetails?> LoadAsync(TandemDb db, int id, CancellationToken ct)
    {
        var o = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return null;
        var account = o.AccountId is { } a ? await db.Accounts.AsNoTracking().Where(x => x.Id == a).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        var owner = o.OwnerId is { } u ? await db.Users.AsNoTracking().Where(x => x.Id == u).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        var changes = await db.OpportunityStageChanges.AsNoTracking().Where(c => c.OpportunityId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);
        var actors = await Actors.LoadAsync(db, changes.Select(c => c.Actor), ct);
        var steps = changes.Select(c => new DealStep(c.At, c.From, c.To, c.Outcome, actors.Label(c.Actor))).ToList();

        var influence = await db.OpportunityInfluences.AsNoTracking().Where(i => i.OpportunityId == id).OrderBy(i => i.At).ToListAsync(ct);
        var ids = influence.Select(i => i.PersonId).Append(o.PrimaryPersonId ?? 0).Where(x => x > 0).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var touchCounts = await db.Touches.AsNoTracking().Where(t => ids.Contains(t.PersonId)).GroupBy(t => t.PersonId)
            .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var involved = ids.Where(people.ContainsKey).Select(pid =>
        {
            var p = people[pid];
            var role = pid == o.PrimaryPersonId ? "Primary contact" : "Qualified while the deal was open";
            return new DealPerson(p.Id, p.DisplayName, p.Title, p.Stage, role, touchCounts.GetValueOrDefault(pid));
        }).ToList();
        var influences = influence.Where(i => people.ContainsKey(i.PersonId))
            .Select(i => new DealInfluence(i.PersonId, people[i.PersonId].DisplayName, i.At, i.Note)).ToList();

        var path = o.PrimaryPersonId is { } primary ? await PathAsync(db, o, primary, ct) : [];
        return new OpportunityDetails(o, account, owner, steps, involved, path, influences);
    }

    /// <summary>
    /// The primary person's touches up to the deal's creation, weighted as the Attribution report weighs them
    /// (the same pure <see cref="Attribution"/> functions, the same cut-off and lead-creation time).
    /// </summary>
    private static async Task<IReadOnlyList<CreditedTouch>> PathAsync(TandemDb db, Opportunity o, int personId, CancellationToken ct)
    {
        var created = Clock.Of(o.CreatedAt);
        var cut = Attribution.Cutoff(Model, created, o.Outcome == Outcome.Open ? Clock.None : Clock.Of(o.ClosedAt));
        var q = db.Touches.AsNoTracking().Where(t => t.PersonId == personId);
        if (cut != int.MaxValue)
        {
            var cutAt = Clock.ToDate(cut).AddSeconds(1);
            q = q.Where(t => t.OccurredAt < cutAt);
        }
        var touches = await q
            .OrderBy(t => t.OccurredAt).ThenBy(t => t.Id)
            .Select(t => new { t.OccurredAt, t.Type, t.Channel, Campaign = db.Campaigns.Where(c => c.Id == t.CampaignId).Select(c => c.Name).FirstOrDefault() })
            .ToListAsync(ct);
        touches = touches.Where(t => Clock.Of(t.OccurredAt) <= cut).ToList();
        if (touches.Count == 0) return [];
        var known = await db.StageChanges.AsNoTracking().Where(s => s.PersonId == personId && s.To == LifecycleStage.Inquiry)
            .OrderBy(s => s.At).Select(s => (DateTime?)s.At).FirstOrDefaultAsync(ct)
            ?? await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => (DateTime?)p.CreatedAt).FirstOrDefaultAsync(ct);
        var at = touches.Select(t => Clock.Of(t.OccurredAt)).ToArray();
        var types = touches.Select(t => (byte)t.Type).ToArray();
        var channels = touches.Select(t => Features.Channels.ChannelSet.Default.Code(t.Channel)).ToArray(); // only Outbound's code matters here
        var weights = Attribution.Weights(Model, new Attribution.Path(at, types, channels, Clock.Of(known), created));
        var parts = Attribution.Split(o.AmountMinor, weights);
        return touches.Select((t, i) => new CreditedTouch(t.OccurredAt, t.Type, t.Channel, t.Campaign, weights[i], parts[i])).ToList();
    }
}
