using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Stats;

/// <summary>What is in the database: counts per entity, people per lifecycle stage, and the opportunity summary.</summary>
public sealed record FunnelStats(Dictionary<string, long> Counts, Dictionary<string, long> PeopleByStage, OpportunitySummary Opportunities)
{
    public static async Task<FunnelStats> LoadAsync(TandemDb db, CancellationToken ct, bool calendarDays = false)
    {
        var counts = new Dictionary<string, long>
        {
            ["accounts"] = await db.Accounts.LongCountAsync(ct),
            ["people"] = await db.People.LongCountAsync(ct),
            ["opportunities"] = await db.Opportunities.LongCountAsync(ct),
            ["campaigns"] = await db.Campaigns.LongCountAsync(ct),
            ["touches"] = await db.Touches.LongCountAsync(ct),
            ["users"] = await db.Users.LongCountAsync(ct),
            ["teams"] = await db.Teams.LongCountAsync(ct),
            ["stageChanges"] = await db.StageChanges.LongCountAsync(ct),
            ["customProperties"] = await db.CustomProperties.LongCountAsync(ct),
            ["activity"] = await db.Activity.LongCountAsync(ct),
        };
        var stages = await db.People.GroupBy(p => p.Stage).Select(g => new { g.Key, N = g.LongCount() }).ToListAsync(ct);
        var byStage = Enum.GetValues<LifecycleStage>().ToDictionary(s => s.ToString(), s => stages.FirstOrDefault(x => x.Key == s)?.N ?? 0);
        // Medians need every value; four small columns per deal stay cheap even for a large pipeline.
        var facts = await db.Opportunities.AsNoTracking()
            .Select(o => new OpportunityFact(o.Outcome, o.AmountMinor, o.CreatedAt, o.ClosedAt)).ToListAsync(ct);
        return new FunnelStats(counts, byStage, OpportunitySummary.From(facts, calendarDays));
    }
}
