using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Funnel;

/// <summary>People entering one stage in this quarter and the last.</summary>
public sealed record StageEntries(LifecycleStage Stage, int ThisQuarter, int LastQuarter);

/// <summary>What the funnel overview page shows: entries per stage for two quarters and the flow ratios between stages.</summary>
public sealed record FunnelOverview(Quarter This, Quarter Last, IReadOnlyList<StageEntries> Stages,
    IReadOnlyList<FlowStep> ThisFlows, IReadOnlyList<FlowStep> LastFlows)
{
    /// <summary>The largest count on the page, so every bar is drawn on the same scale.</summary>
    public int Max => Stages.Count == 0 ? 0 : Stages.Max(s => Math.Max(s.ThisQuarter, s.LastQuarter));

    public static async Task<FunnelOverview> LoadAsync(TandemDb db, DateTime utcNow, CancellationToken ct)
    {
        var current = Quarter.Containing(utcNow);
        var previous = current.Previous;
        var now = await EntriesAsync(db, current, ct);
        var before = await EntriesAsync(db, previous, ct);
        var stages = FunnelMath.MainStages.Concat(FunnelMath.SideStages)
            .Select(s => new StageEntries(s, now.GetValueOrDefault(s), before.GetValueOrDefault(s)))
            .ToList();
        return new FunnelOverview(current, previous, stages, FunnelMath.Flows(now), FunnelMath.Flows(before));
    }

    /// <summary>
    /// Distinct people with a stage change into each stage during the quarter. Distinct, because a person
    /// nurtured and re-engaged twice in a quarter is still one person entering that stage.
    /// </summary>
    public static async Task<Dictionary<LifecycleStage, int>> EntriesAsync(TandemDb db, Quarter quarter, CancellationToken ct)
    {
        var (start, end) = (quarter.Start, quarter.End);
        var rows = await db.StageChanges.AsNoTracking()
            .Where(s => s.At >= start && s.At < end)
            .GroupBy(s => s.To)
            .Select(g => new { Stage = g.Key, People = g.Select(s => s.PersonId).Distinct().Count() })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Stage, r => r.People);
    }

    /// <summary>The people behind one count, so every figure on the page can be drilled into.</summary>
    public static IQueryable<People.Person> WhoEntered(TandemDb db, IQueryable<People.Person> people, LifecycleStage stage, Quarter quarter)
    {
        var (start, end) = (quarter.Start, quarter.End);
        return people.Where(p => db.StageChanges.Any(s => s.PersonId == p.Id && s.To == stage && s.At >= start && s.At < end));
    }
}
