using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Agreement;
using Tandem.Features.People;
using Tandem.Components.People;

namespace Tandem.Components.Accounts;

public sealed record AccountPerson(int Id, string Name, string? Title, LifecycleStage Stage, string? Owner, double? Score, Grade? Grade);

public sealed record AccountDeal(int Id, string Name, string SalesStage, Outcome Outcome, long AmountMinor, string Currency, DateTime? CreatedAt, DateTime? ClosedAt);

/// <summary>
/// The account's people scored under the active definition, rolled up: how many are scored, the best and the average
/// score, the best grade, and how many already meet the definition's threshold.
/// </summary>
public sealed record ScoreRollup(int Scored, double Best, double Average, Grade? BestGrade, int AtThreshold, int? Threshold, int? Definition)
{
    public static ScoreRollup Of(IReadOnlyList<(double Score, Grade Grade)> scores, int? threshold, int? definition) =>
        scores.Count == 0
            ? new(0, 0, 0, null, 0, threshold, definition)
            : new(scores.Count, scores.Max(s => s.Score), scores.Average(s => s.Score), scores.Min(s => s.Grade),
                threshold is { } t ? scores.Count(s => s.Score >= t) : 0, threshold, definition);
}

/// <summary>Everything the account page shows, with referenced records resolved to names.</summary>
public sealed record AccountDetails(Features.Accounts.Account Account, string? Owner, IReadOnlyList<AccountPerson> People, int PeopleTotal,
    IReadOnlyList<AccountDeal> Deals, ScoreRollup Scores, IReadOnlyList<TimelineEntry> Timeline)
{
    public const int PeopleShown = 200;

    public static async Task<AccountDetails?> LoadAsync(TandemDb db, int id, CancellationToken ct)
    {
        var a = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return null;
        var owner = a.OwnerId is { } o ? await db.Users.AsNoTracking().Where(x => x.Id == o).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        var total = await db.People.AsNoTracking().CountAsync(p => p.AccountId == id, ct);
        var people = await db.People.AsNoTracking().Where(p => p.AccountId == id).OrderBy(p => p.Id).Take(PeopleShown).ToListAsync(ct);
        var ids = people.Select(p => p.Id).ToList();
        var active = await db.LeadDefinitions.AsNoTracking().Where(x => x.Status == DefinitionStatus.Active)
            .Select(x => new { x.Id, x.Number }).FirstOrDefaultAsync(ct);
        var scores = active is null ? [] : await db.LeadScores.AsNoTracking().Where(s => s.DefinitionId == active.Id && ids.Contains(s.PersonId))
            .ToDictionaryAsync(s => s.PersonId, ct);
        var ownerIds = people.Select(p => p.OwnerId).OfType<int>().Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var rows = people.Select(p =>
        {
            var s = scores.GetValueOrDefault(p.Id);
            return new AccountPerson(p.Id, p.DisplayName, p.Title, p.Stage, p.OwnerId is { } u ? owners.GetValueOrDefault(u) : null, s?.Score, s?.Grade);
        }).ToList();
        int? threshold = null;
        if (active is not null)
        {
            var def = await db.LeadDefinitions.AsNoTracking().FirstAsync(x => x.Id == active.Id, ct);
            threshold = def.Parsed().Qualify.Threshold;
        }
        var rollup = ScoreRollup.Of(scores.Values.Select(s => (s.Score, s.Grade)).ToList(), threshold, active?.Number);
        var deals = await db.Opportunities.AsNoTracking().Where(x => x.AccountId == id)
            .Select(x => new AccountDeal(x.Id, x.Name, x.SalesStage, x.Outcome, x.AmountMinor, x.Currency, x.CreatedAt, x.ClosedAt)).ToListAsync(ct);
        deals = deals.OrderByDescending(d => d.CreatedAt).ToList();
        var timeline = await AccountTimeline.LoadAsync(db, a, people, deals, ct);
        return new AccountDetails(a, owner, rows.OrderByDescending(r => r.Score ?? double.MinValue).ThenBy(r => r.Name).ToList(), total, deals, rollup, timeline);
    }
}
