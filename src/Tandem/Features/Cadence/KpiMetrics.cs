using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Plan;

namespace Tandem.Features.Cadence;

/// <summary>What a metric measured over one week, with the records behind it (people or deals, or SLA leads).</summary>
/// <param name="Value">Null when nothing was there to measure (a rate with no denominator): "no data", never NaN.</param>
public sealed record Measured(double? Value, string RecordKind, IReadOnlyList<int> Records);

/// <summary>One metric a KPI can name: its unit and direction, and the plan stage whose weekly target it can take.</summary>
public sealed record MetricInfo(string Name, string Label, string Unit, bool HigherIsBetter, int? PlanStage);

/// <summary>
/// The figures a scorecard KPI can refer to, measured over one ISO week from Insight's facts, pure (docs/metrics.md,
/// "Cadence"). SLA compliance comes from the SLA report and is handed in, as the facts do not hold SLA outcomes.
/// </summary>
public static class KpiMetrics
{
    public const string People = "person", Deals = "opportunity", Leads = "handoff";
    private const int Mql = 1, Sal = 2, Sql = 3; // funnel ranks (PlanStages.Names)

    public static readonly MetricInfo[] All =
    [
        new("mqls", "MQLs", "count", true, Mql),
        new("sals", "SALs", "count", true, Sal),
        new("sqls", "SQLs", "count", true, Sql),
        new("mql-acceptance", "Share of MQLs accepted by sales", "percent", true, null),
        new("win-rate", "Win rate", "percent", true, null),
        new("sourced-pipeline", "Marketing-sourced pipeline", "money", true, null),
        new("sla-compliance", "SLA compliance", "percent", true, null),
        new("cost-per-opportunity", "Cost per opportunity", "money", false, null),
    ];

    public static IEnumerable<string> Names => All.Select(m => m.Name);
    public static MetricInfo? Find(string? name) => All.FirstOrDefault(m => m.Name == name);
    public static bool Exists(string? name) => Find(name) is not null;
    public static bool HasPlanTarget(string? name) => Find(name)?.PlanStage is not null;

    /// <summary>One week's figure (see <see cref="MeasureWeeks"/>).</summary>
    /// <param name="from">Week start (Insight clock seconds).</param>
    public static Measured Measure(MetricInfo m, string? filter, InsightFacts f, int from, int to, int currency, Measured sla) =>
        MeasureWeeks(m, filter, f, [from, to], currency, [sla])[0];

    /// <summary>
    /// The metric in every week between consecutive <paramref name="bounds"/> in ONE pass over the people or deals: each
    /// record is put in the week its date falls in. Measuring week by week scanned the arrays eight times per KPI (64 scans
    /// a record), most of a record's time at a million people (docs/benchmarks.md). Records keep the array order, as before.
    /// </summary>
    /// <param name="bounds">Week starts (Insight clock seconds), then the last week's end: one more than the weeks.</param>
    /// <param name="currency">The company currency's code in the facts, or -1 when the facts hold no deal in it.</param>
    /// <param name="sla">Each week's SLA compliance and the leads behind it.</param>
    public static Measured[] MeasureWeeks(MetricInfo m, string? filter, InsightFacts f, int[] bounds, int currency, IReadOnlyList<Measured> sla)
    {
        var weeks = bounds.Length - 1;
        var channel = f.Channels.Find(filter) is { } c ? f.Channels.Code(c.Channel) : InsightFacts.NoChannel;
        int Week(int t)
        {
            if (t == Clock.None || t < bounds[0] || t >= bounds[weeks]) return -1;
            var at = Array.BinarySearch(bounds, t);
            return at >= 0 ? at : ~at - 1;
        }
        bool Person(int i) => channel == InsightFacts.NoChannel || f.PersonChannel[i] == channel;
        var ids = Enumerable.Range(0, weeks).Select(_ => new List<int>()).ToArray();
        var hits = new long[weeks];
        switch (m.Name)
        {
            case "mqls" or "sals" or "sqls":
            {
                var reached = f.Reached[m.PlanStage!.Value];
                for (var i = 0; i < f.PeopleCount; i++)
                    if (Week(reached[i]) is var w and >= 0 && Person(i)) ids[w].Add(f.PersonId[i]);
                return [.. ids.Select(x => new Measured(x.Count, People, x))];
            }
            case "mql-acceptance":
            {
                for (var i = 0; i < f.PeopleCount; i++)
                {
                    if (!Person(i)) continue;
                    var a = f.Reached[Mql][i] != Clock.None ? Week(f.Reached[Sal][i]) : -1;
                    if (a >= 0) { hits[a]++; ids[a].Add(f.PersonId[i]); }
                    if (Week(f.RejectedAt[i]) is var r and >= 0 && r != a) ids[r].Add(f.PersonId[i]);
                }
                return [.. ids.Select((x, w) => new Measured(x.Count == 0 ? null : 100.0 * hits[w] / x.Count, People, x))];
            }
            case "win-rate":
            {
                for (var o = 0; o < f.OppCount; o++)
                {
                    if (f.OppOutcome[o] == Outcome.Open || Week(f.OppClosed[o]) is not (var w and >= 0)) continue;
                    ids[w].Add(f.OppId[o]);
                    if (f.OppOutcome[o] == Outcome.Won) hits[w]++;
                }
                return [.. ids.Select((x, w) => new Measured(x.Count == 0 ? null : 100.0 * hits[w] / x.Count, Deals, x))];
            }
            case "sourced-pipeline":
            {
                for (var o = 0; o < f.OppCount; o++)
                {
                    if (Week(f.OppCreated[o]) is not (var w and >= 0) || f.OppCurrency[o] != currency || !SourcedByMarketing(f, o)) continue;
                    ids[w].Add(f.OppId[o]);
                    hits[w] += f.OppAmount[o];
                }
                return [.. ids.Select((x, w) => new Measured(hits[w] / 100.0, Deals, x))];
            }
            case "cost-per-opportunity":
            {
                for (var o = 0; o < f.OppCount; o++) if (Week(f.OppCreated[o]) is var w and >= 0) ids[w].Add(f.OppId[o]);
                return [.. ids.Select((x, w) => CostInWeek(f, bounds[w], bounds[w + 1], currency) is { } cost && x.Count > 0
                    ? new Measured(cost / x.Count, Deals, x) : new Measured(null, Deals, x))];
            }
            case "sla-compliance": return [.. sla];
            default: throw new ArgumentException($"Unknown metric {m.Name}.", nameof(m));
        }
    }

    /// <summary>A deal is marketing-sourced when its person became an MQL before the deal was created.</summary>
    private static bool SourcedByMarketing(InsightFacts f, int o)
    {
        var i = f.OppPerson[o]; // a position in the people arrays, or -1
        if (i < 0) return false;
        var mql = f.Reached[Mql][i];
        return mql != Clock.None && mql <= f.OppCreated[o];
    }

    /// <summary>Campaign cost in the company currency spread evenly over each campaign's dates, the part inside the week
    /// (docs/metrics.md, "campaign cost in a period"); null when no campaign has a cost in that currency.</summary>
    private static double? CostInWeek(InsightFacts f, int from, int to, int currency)
    {
        if (currency < 0) return null;
        var code = f.Currencies[currency];
        double? total = null;
        foreach (var c in f.Campaigns)
        {
            if (c.CostMinor <= 0 || c.Currency != code || c.StartsAt is not { } s || c.EndsAt is not { } e) continue;
            var (cs, ce) = (Clock.Of(s), Clock.Of(e));
            if (ce <= cs) continue;
            var overlap = Math.Min(ce, to) - (double)Math.Max(cs, from);
            if (overlap > 0) total = (total ?? 0) + c.CostMinor / 100.0 * overlap / (ce - cs);
        }
        return total;
    }
}
