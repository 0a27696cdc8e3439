namespace Tandem.Features.Insight;

/// <summary>
/// The cohort split (<c>by=cohort-week|cohort-month|cohort-quarter</c>, decision 0057): each member's segment is the
/// period its cohort started in, labelled as the flow report labels periods (2024-W03, 2024-01, 2024-Q1) so rows sort
/// in time order. Only reports with a cohort take it; each says which instant starts a member's cohort.
/// </summary>
public static class Cohorts
{
    /// <summary>The instant each person (funnel: first reaching the cohort's stage) or deal (created, or closed with basis=closed) joins its cohort.</summary>
    public static int[]? StartTimes(string report, InsightFacts f, InsightQuery q) => report switch
    {
        FunnelReport.Name => f.Reached[FunnelReport.Params(q).From],
        DealsReport.Name => q.Basis == "closed" ? f.OppClosed : f.OppCreated,
        _ => null,
    };

    public static readonly string[] Reports = [FunnelReport.Name, DealsReport.Name];

    public static Dimension Split(InsightFacts f, string report, InsightQuery q, string period)
    {
        var key = $"cohort/{report}/{q.Stage}/{q.Basis}/{period}";
        lock (f.DimensionCache)
            if (f.DimensionCache.TryGetValue(key, out var cached)) return cached;
        var times = StartTimes(report, f, q)!;
        var labels = new Labels();
        var none = -1;
        var byDay = new Dictionary<int, int>();
        var codes = new int[times.Length];
        for (var i = 0; i < times.Length; i++)
        {
            var t = times[i];
            if (t == Clock.None)
            {
                codes[i] = none < 0 ? none = labels.Code(Dimension.None) : none;
                continue;
            }
            var day = (int)Math.Floor(t / 86_400.0);
            if (!byDay.TryGetValue(day, out var code))
                byDay[day] = code = labels.Code(FlowReport.Bucket(Clock.ToDate(t), period));
            codes[i] = code;
        }
        var built = new Dimension(q.By!, codes, Enumerable.Range(0, labels.Count).Select(c => labels[c]).ToArray());
        lock (f.DimensionCache) f.DimensionCache[key] = built;
        return built;
    }
}
