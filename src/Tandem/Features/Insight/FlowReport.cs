using System.Globalization;
using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Flow (docs/metrics.md): people first reaching each funnel stage, per week (ISO, Monday first), month or quarter
/// of UTC time, by segment. Periods with nobody entering any stage are left out.
/// </summary>
public static class FlowReport
{
    public const string Name = "flow";

    public static string Bucket(DateTime d, string interval) => interval switch
    {
        "week" => $"{ISOWeek.GetYear(d)}-W{ISOWeek.GetWeekOfYear(d):00}",
        "quarter" => $"{d.Year}-Q{(d.Month - 1) / 3 + 1}",
        _ => $"{d.Year}-{d.Month:00}",
    };

    public static InsightTable Run(InsightFacts f, Slices slices, InsightQuery q)
    {
        var slice = slices.Person;
        var interval = q.Interval ?? "month";
        var stages = FunnelReport.Stages.Length;
        var width = slice.Segments * stages;
        // Periods are numbered as first seen; each day is labelled once. Days since 2000 index an array (68 years of
        // them fit in 100 KB); a dictionary catches anything before 2000.
        var periodOfDay = new Dictionary<int, int>();
        var dayPeriod = new int[int.MaxValue / 86_400 + 1];
        var labels = new List<string>();
        var counts = new List<int[]>();
        var (lo, hi) = (q.From32, q.To32);
        int lastDay = int.MinValue, lastPeriod = -1;
        for (var i = 0; i < f.PeopleCount; i++)
        {
            if (!slice.Pass(i)) continue;
            var seg = slice.SegmentOf(i);
            for (var k = 0; k < stages; k++)
            {
                var t = f.Reached[k][i];
                if (t == Clock.None || t < lo || t >= hi) continue;
                var day = (int)Math.Floor(t / 86_400.0);
                if (day != lastDay)
                {
                    // dayPeriod holds period + 1, so 0 means "not labelled yet".
                    if (day >= 0 && dayPeriod[day] > 0) lastPeriod = dayPeriod[day] - 1;
                    else if (day >= 0 || !periodOfDay.TryGetValue(day, out lastPeriod))
                    {
                        var label = Bucket(Clock.ToDate(t), interval);
                        lastPeriod = labels.IndexOf(label);
                        if (lastPeriod < 0) { lastPeriod = labels.Count; labels.Add(label); counts.Add(new int[width]); }
                        if (day >= 0) dayPeriod[day] = lastPeriod + 1;
                        else periodOfDay[day] = lastPeriod;
                    }
                    lastDay = day;
                }
                counts[lastPeriod][seg * stages + k]++;
            }
        }
        var baseQuery = q.ToQueryString();
        var rows = new List<InsightRow>();
        foreach (var p in Enumerable.Range(0, labels.Count).OrderBy(p => labels[p], StringComparer.Ordinal))
            foreach (var seg in Enumerable.Range(0, slice.Segments).OrderBy(slice.Label, StringComparer.Ordinal))
            {
                var values = new double?[stages];
                var any = false;
                for (var k = 0; k < stages; k++) any |= (values[k] = counts[p][seg * stages + k]) > 0;
                if (!any) continue;
                string[] keys = [labels[p], slice.Label(seg)];
                rows.Add(new InsightRow(keys, values,
                    FunnelReport.Stages.Select(s => (string?)$"/api/insight/{Name}/drill?{baseQuery}{InsightQuery.DrillSuffix(keys, $"entered:{s}")}").ToArray()));
            }
        return new InsightTable(Name, $"People entering each stage per {interval}",
            [new("period", interval, "text"), new("segment", q.By ?? "segment", "text")],
            FunnelReport.Stages.Select(s => new InsightColumn($"entered{s}", s.ToString(), "count")).ToArray(), rows,
            ["Entering a stage: the first time a person reached it (or a later stage)."]);
    }

    /// <summary>Keys are (period, segment); cell is entered:STAGE.</summary>
    public static IEnumerable<Member> Members(InsightFacts f, Slices slices, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        var slice = slices.Person;
        var label = new BucketCache(q.Interval ?? "month");
        var parts = cell.Split(':');
        if (keys.Count < 2 || parts is not ["entered", var stage] || !Enum.TryParse<LifecycleStage>(stage, out var st)) yield break;
        var k = InsightLoader.Rank(st);
        var seg = slice.SegmentCode(keys[1]);
        if (k < 0 || seg < 0) yield break;
        for (var i = 0; i < f.PeopleCount; i++)
        {
            var t = f.Reached[k][i];
            if (q.InPeriod(t) && slice.SegmentOf(i) == seg && slice.Pass(i) && label.Of(t) == keys[0]) yield return new Member(Subject.Person, i);
        }
    }

    /// <summary>Labels a time by its period, formatting each day once per scan.</summary>
    private sealed class BucketCache(string interval)
    {
        private readonly Dictionary<int, string> _days = [];

        public string Of(int t)
        {
            var day = (int)Math.Floor(t / 86_400.0);
            if (!_days.TryGetValue(day, out var label)) _days[day] = label = Bucket(Clock.ToDate(t), interval);
            return label;
        }
    }
}
