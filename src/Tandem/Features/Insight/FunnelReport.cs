using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Cohort conversion (docs/metrics.md): the cohort is everyone who first reached the chosen stage in the period;
/// for each later stage, how many of them reached it by now and within N days, the rate from the cohort and from
/// the stage before, and the median and 75th-percentile days it took. One person is one member of one cohort:
/// a cohort is keyed by a person's first arrival, so re-entries never count twice.
/// </summary>
public static class FunnelReport
{
    public const string Name = "funnel";
    public const int DefaultWithin = 90;

    public static readonly LifecycleStage[] Stages =
        [LifecycleStage.Inquiry, LifecycleStage.MQL, LifecycleStage.SAL, LifecycleStage.SQL, LifecycleStage.Customer];

    public static void Check(InsightQuery q, Api.Errors e)
    {
        if (q.Stage is { } s && (InsightLoader.Rank(s) < 0 || s == LifecycleStage.Customer))
            e.Add("stage", $"A cohort starts at Inquiry, MQL, SAL or SQL, not {s}.");
        if (q.By == "currency") e.Add("by", "'currency' slices opportunities only.");
    }

    public static (int From, int Within) Params(InsightQuery q) =>
        (InsightLoader.Rank(q.Stage ?? LifecycleStage.Inquiry), q.Within ?? DefaultWithin);

    public static IReadOnlyList<InsightColumn> Columns(InsightQuery q)
    {
        var (a, within) = Params(q);
        var cols = new List<InsightColumn> { new("cohort", $"Reached {Stages[Math.Max(0, a)]}", "count") };
        for (var b = a + 1; b < Stages.Length; b++)
        {
            var s = Stages[b];
            cols.Add(new($"reached{s}", $"Reached {s}", "count"));
            cols.Add(new($"rate{s}", $"→ {s}", "rate"));
            cols.Add(new($"step{s}", $"{Stages[b - 1]} → {s}", "rate"));
            cols.Add(new($"within{s}", $"Reached {s} within {within} d", "count"));
            cols.Add(new($"rateWithin{s}", $"→ {s} within {within} d", "rate"));
            cols.Add(new($"medianDays{s}", $"Median days to {s}", "days"));
            cols.Add(new($"p75Days{s}", $"75th pct days to {s}", "days"));
        }
        return cols;
    }

    public static InsightTable Run(InsightFacts f, Slices slices, InsightQuery q)
    {
        var slice = slices.Person;
        var (a, within) = Params(q);
        var later = Stages.Length - a - 1;
        var segs = slice.Segments;
        var width = Math.Max(1, later);
        var cohort = new int[segs];
        var reached = new int[segs * width];
        var inTime = new int[segs * width];
        var days = new List<float>?[segs * width];
        var limit = within * 86_400L;
        var from = f.Reached[a];
        var (lo, hi) = (q.From32, q.To32);
        for (var i = 0; i < from.Length; i++)
        {
            var start = from[i];
            if (start == Clock.None || start < lo || start >= hi || !slice.Pass(i)) continue;
            var seg = slice.SegmentOf(i);
            cohort[seg]++;
            for (var k = 0; k < later; k++)
            {
                var t = f.Reached[a + 1 + k][i];
                if (t == Clock.None) break; // reached is monotone: nobody reaches SQL without having reached SAL
                var cell = seg * width + k;
                reached[cell]++;
                if (t - (long)start <= limit) inTime[cell]++;
                (days[cell] ??= []).Add((float)Clock.Days(start, t, q.CalendarDays));
            }
        }
        var baseQuery = q.ToQueryString();
        var rows = new List<InsightRow>();
        for (var seg = 0; seg < slice.Segments; seg++)
        {
            if (cohort[seg] == 0) continue;
            string[] keys = [slice.Label(seg)];
            var values = new List<double?> { cohort[seg] };
            var drill = new List<string?> { Link(baseQuery, keys, "cohort") };
            for (var k = 0; k < later; k++)
            {
                var s = Stages[a + 1 + k];
                var before = k == 0 ? cohort[seg] : reached[seg * width + k - 1];
                var list = days[seg * width + k] ?? [];
                var (rk, ik) = (reached[seg * width + k], inTime[seg * width + k]);
                values.AddRange([rk, InsightMath.Rate(rk, cohort[seg]), InsightMath.Rate(rk, before),
                    ik, InsightMath.Rate(ik, cohort[seg]), InsightMath.Percentile(list, 0.5), InsightMath.Percentile(list, 0.75)]);
                var r = Link(baseQuery, keys, $"reached:{s}");
                drill.AddRange([r, r, r, Link(baseQuery, keys, $"within:{s}"), Link(baseQuery, keys, $"within:{s}"), r, r]);
            }
            rows.Add(new InsightRow(keys, values, drill));
        }
        return new InsightTable(Name, $"Cohort conversion from {Stages[a]}", [new("segment", q.By ?? "segment", "text")], Columns(q),
            [.. rows.OrderBy(r => r.Keys[0], StringComparer.Ordinal)],
            [$"Cohort: people who first reached {Stages[a]} in the period. Reaching a stage includes reaching any stage after it.",
             $"Within {within} d: reached the stage no more than {within} days after joining the cohort."]);
    }

    private static string Link(string baseQuery, string[] keys, string cell) =>
        $"/api/insight/{Name}/drill?{baseQuery}{InsightQuery.DrillSuffix(keys, cell)}";

    /// <summary>Cells: cohort, reached:STAGE, within:STAGE.</summary>
    public static IEnumerable<Member> Members(InsightFacts f, Slices slices, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        var slice = slices.Person;
        var (a, within) = Params(q);
        var seg = keys.Count > 0 ? slice.SegmentCode(keys[0]) : -1;
        var parts = cell.Split(':');
        var target = parts.Length == 2 && Enum.TryParse<LifecycleStage>(parts[1], out var st) ? InsightLoader.Rank(st) : a;
        if (seg < 0 || target < a) yield break;
        for (var i = 0; i < f.PeopleCount; i++)
        {
            var start = f.Reached[a][i];
            if (!q.InPeriod(start) || slice.SegmentOf(i) != seg || !slice.Pass(i)) continue;
            var t = f.Reached[target][i];
            var hit = parts[0] switch
            {
                "cohort" => true,
                "reached" => t != Clock.None,
                "within" => t != Clock.None && t - (long)start <= within * 86_400L,
                _ => false,
            };
            if (hit) yield return new Member(Subject.Person, i);
        }
    }
}
