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

    /// <param name="from">Week start (Insight clock seconds).</param>
    /// <param name="currency">The company currency's code in the facts, or -1 when the facts hold no deal in it.</param>
    /// <param name="sla">The week's SLA compliance and the leads behind it.</param>
    public static Measured Measure(MetricInfo m, string? filter, InsightFacts f, int from, int to, int currency, Measured sla)
    {
        Channel? channel = Enum.TryParse<Channel>(filter, true, out var c) ? c : null;
        bool In(int t) => t != Clock.None && t >= from && t < to;
        bool Person(int i) => channel is null || f.PersonChannel[i] == (byte)channel.Value;
        switch (m.Name)
        {
            case "mqls" or "sals" or "sqls":
            {
                var k = m.PlanStage!.Value;
                var ids = new List<int>();
                for (var i = 0; i < f.PeopleCount; i++) if (In(f.Reached[k][i]) && Person(i)) ids.Add(f.PersonId[i]);
                return new Measured(ids.Count, People, ids);
            }
            case "mql-acceptance":
            {
                var ids = new List<int>();
                var accepted = 0;
                for (var i = 0; i < f.PeopleCount; i++)
                {
                    if (!Person(i)) continue;
                    var a = In(f.Reached[Sal][i]) && f.Reached[Mql][i] != Clock.None;
                    if (a) accepted++;
                    if (a || In(f.RejectedAt[i])) ids.Add(f.PersonId[i]);
                }
                return new Measured(ids.Count == 0 ? null : 100.0 * accepted / ids.Count, People, ids);
            }
            case "win-rate":
            {
                var ids = new List<int>();
                var won = 0;
                for (var o = 0; o < f.OppCount; o++)
                {
                    if (f.OppOutcome[o] == Outcome.Open || !In(f.OppClosed[o])) continue;
                    ids.Add(f.OppId[o]);
                    if (f.OppOutcome[o] == Outcome.Won) won++;
                }
                return new Measured(ids.Count == 0 ? null : 100.0 * won / ids.Count, Deals, ids);
            }
            case "sourced-pipeline":
            {
                var ids = new List<int>();
                long sum = 0;
                for (var o = 0; o < f.OppCount; o++)
                {
                    if (!In(f.OppCreated[o]) || f.OppCurrency[o] != currency || !SourcedByMarketing(f, o)) continue;
                    ids.Add(f.OppId[o]);
                    sum += f.OppAmount[o];
                }
                return new Measured(sum / 100.0, Deals, ids);
            }
            case "cost-per-opportunity":
            {
                var ids = new List<int>();
                for (var o = 0; o < f.OppCount; o++) if (In(f.OppCreated[o])) ids.Add(f.OppId[o]);
                var cost = CostInWeek(f, from, to, currency);
                return new Measured(ids.Count == 0 || cost is null ? null : cost / ids.Count, Deals, ids);
            }
            case "sla-compliance": return sla;
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
