using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Plan;

/// <summary>The approved plans' weekly MQL and SAL targets, every line added up and rounded up to whole people: the
/// marketing SLA's targets (docs/guide/handoff.md). Where approved plans in several currencies cover one week, the
/// lowest-numbered plan's targets count: people are not split by currency.</summary>
public static class PlanTargets
{
    public sealed record Week(int Mql, int Sal);

    public static async Task<Dictionary<DateOnly, Week>> WeeklyAsync(TandemDb db, CancellationToken ct)
    {
        var result = new Dictionary<DateOnly, Week>();
        var plans = await db.RevenuePlans.AsNoTracking().Where(p => p.Status == PlanStatus.Approved).OrderBy(p => p.Number).Select(p => p.Content).ToListAsync(ct);
        foreach (var json in plans)
        {
            var c = PlanContent.FromJson(json);
            foreach (var w in c.PeriodWeeks())
                result.TryAdd(c.Week(w), new Week(Up(c.Lines.Sum(l => l.Weekly[1][w])), Up(c.Lines.Sum(l => l.Weekly[2][w]))));
        }
        return result;
    }

    private static int Up(double v) => (int)Math.Ceiling(v - 1e-9);
}
