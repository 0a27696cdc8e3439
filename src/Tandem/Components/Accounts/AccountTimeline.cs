using Microsoft.EntityFrameworkCore;
using Tandem.Components.People;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Handoffs;
using Tandem.Features.People;

namespace Tandem.Components.Accounts;

/// <summary>
/// What happened at an account, newest first, as sentences: its people's stage moves (named), its deals' stage moves,
/// and the account record's own changes. Touches stay on each person's page; here they would drown the rest.
/// </summary>
public static class AccountTimeline
{
    public const int Limit = 200;

    public static async Task<List<TimelineEntry>> LoadAsync(TandemDb db, Features.Accounts.Account a, IReadOnlyList<Person> people, IReadOnlyList<AccountDeal> deals,
        CancellationToken ct)
    {
        var names = people.ToDictionary(p => p.Id, p => p.DisplayName);
        var ids = names.Keys.ToList();
        var stages = await db.StageChanges.AsNoTracking().Where(s => ids.Contains(s.PersonId)).OrderByDescending(s => s.At).Take(Limit).ToListAsync(ct);
        var dealIds = deals.Select(d => d.Id).ToList();
        var dealNames = deals.ToDictionary(d => d.Id, d => d.Name);
        var moves = await db.OpportunityStageChanges.AsNoTracking().Where(c => dealIds.Contains(c.OpportunityId)).OrderByDescending(c => c.At).Take(Limit).ToListAsync(ct);
        var activity = await db.Activity.AsNoTracking().Where(x => x.SubjectKind == SubjectKind.Account && x.SubjectId == a.Id)
            .OrderByDescending(x => x.At).Take(Limit).ToListAsync(ct);
        var actors = await Actors.LoadAsync(db, stages.Select(s => s.Actor).Concat(moves.Select(m => m.Actor)).Concat(activity.Select(x => x.Actor)), ct,
            TimelineEntries.UserIdsIn(activity.Select(x => x.Detail)));

        var items = new List<TimelineEntry>();
        items.AddRange(stages.Select(s => new TimelineEntry(s.At, "stage",
            Sentences.Stage(s.From, s.To, s.Cause, Reasons.Label(s.Reason), actors.Label(s.Actor), names.GetValueOrDefault(s.PersonId, "Someone")),
            $"/people/{s.PersonId}")));
        items.AddRange(moves.Select(m => new TimelineEntry(m.At, "deal",
            Sentences.Deal(dealNames.GetValueOrDefault(m.OpportunityId, "A deal"), m.From, m.To, m.Outcome, actors.Label(m.Actor)),
            $"/opportunities/{m.OpportunityId}")));
        foreach (var x in activity)
            if (Sentences.Activity(x.Kind, x.Detail, actors.Label(x.Actor), actors.User) is { } sentence)
                items.Add(new TimelineEntry(x.At, "activity", sentence.Replace("the record", "the account", StringComparison.Ordinal)));
        return items.OrderByDescending(i => i.At).Take(Limit).ToList();
    }
}
