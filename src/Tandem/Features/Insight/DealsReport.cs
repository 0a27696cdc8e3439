using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Opportunities by segment and currency: pipeline created, outcomes, win rate, won revenue, average won deal and
/// sales cycle (docs/metrics.md). A deal is in the period by its creation date (basis=created) or its close date
/// (basis=closed, open deals then take no part). Amounts are never added across currencies: each currency is its own row.
/// </summary>
public static class DealsReport
{
    public const string Name = "deals";

    private static readonly InsightColumn[] Cols =
    [
        new("opportunities", "Opportunities", "count"), new("pipeline", "Pipeline", "money"),
        new("open", "Open", "count"), new("won", "Won", "count"), new("lost", "Lost", "count"), new("noDecision", "No decision", "count"),
        new("winRate", "Win rate", "rate"), new("wonRevenue", "Won revenue", "money"), new("averageWon", "Average won deal", "money"),
        new("cycleMedianDays", "Sales cycle, median days (won)", "days"), new("cycleMeanDays", "Sales cycle, mean days (won)", "days"),
        new("lostCycleMedianDays", "Lost cycle, median days", "days"),
    ];

    /// <summary>The set each column drills into.</summary>
    private static readonly string?[] Cells =
        ["all", "all", "open", "won", "lost", "noDecision", "closed", "won", "won", "won", "won", "lost"];

    public static bool InScope(InsightFacts f, InsightQuery q, int i)
    {
        if (q.Basis == "closed") return f.OppOutcome[i] != Outcome.Open && (q.HasPeriod ? q.InPeriod(f.OppClosed[i]) : true);
        return !q.HasPeriod || q.InPeriod(f.OppCreated[i]);
    }

    public static InsightTable Run(InsightFacts f, Slice slice, InsightQuery q)
    {
        var nCur = Math.Max(1, f.Currencies.Count);
        var rows = new Acc?[slice.Segments * nCur];
        for (var i = 0; i < f.OppCount; i++)
        {
            if (!slice.Pass(i) || !InScope(f, q, i)) continue;
            var a = rows[slice.SegmentOf(i) * nCur + f.OppCurrency[i]] ??= new Acc(q.CalendarDays);
            a.Add(f, i);
        }
        var baseQuery = q.ToQueryString();
        var result = new List<InsightRow>();
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r] is not { } a) continue;
            string[] keys = [slice.Label(r / nCur), f.Currencies[r % nCur]];
            result.Add(new InsightRow(keys, a.Values(), Cells.Select(c => c is null ? null : DrillLink(baseQuery, keys, c)).ToArray()));
        }
        return new InsightTable(Name, "Opportunities: pipeline, win rate, revenue and cycle",
            [new("segment", q.By ?? "segment", "text"), new("currency", "Currency", "text")], Cols,
            [.. result.OrderBy(r => r.Keys[0], StringComparer.Ordinal).ThenBy(r => r.Keys[1], StringComparer.Ordinal)],
            ["Win rate = won / (won + lost); no-decision and open deals are left out.",
             "Sales cycle = close date − created date, over deals that have both."]);
    }

    public static string DrillLink(string baseQuery, IEnumerable<string> keys, string cell) =>
        $"/api/insight/{Name}/drill?{baseQuery}{InsightQuery.DrillSuffix(keys, cell)}";

    /// <summary>The deals behind one cell: keys are (segment, currency), cell one of all, open, won, lost, noDecision, closed.</summary>
    public static IEnumerable<int> Members(InsightFacts f, Slice slice, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        var seg = keys.Count > 0 ? slice.SegmentCode(keys[0]) : -1;
        var cur = keys.Count > 1 && f.Currencies.TryGet(keys[1], out var c) ? c : -1;
        if (seg < 0 || cur < 0) yield break;
        for (var i = 0; i < f.OppCount; i++)
        {
            if (slice.SegmentOf(i) != seg || f.OppCurrency[i] != cur || !slice.Pass(i) || !InScope(f, q, i)) continue;
            var o = f.OppOutcome[i];
            var hit = cell switch
            {
                "open" => o == Outcome.Open,
                "won" => o == Outcome.Won,
                "lost" => o == Outcome.Lost,
                "noDecision" => o == Outcome.NoDecision,
                "closed" => o is Outcome.Won or Outcome.Lost,
                _ => true,
            };
            if (hit) yield return i;
        }
    }

    private sealed class Acc(bool calendarDays)
    {
        private int _all, _open, _won, _lost, _noDecision;
        private long _pipeline, _wonRevenue;
        private readonly List<float> _wonCycle = [], _lostCycle = [];

        public void Add(InsightFacts f, int i)
        {
            _all++;
            _pipeline += f.OppAmount[i];
            var (created, closed) = (f.OppCreated[i], f.OppClosed[i]);
            var cycle = created != Clock.None && closed != Clock.None ? (float)Clock.Days(created, closed, calendarDays) : float.NaN;
            switch (f.OppOutcome[i])
            {
                case Outcome.Open: _open++; break;
                case Outcome.Won:
                    _won++;
                    _wonRevenue += f.OppAmount[i];
                    if (!float.IsNaN(cycle)) _wonCycle.Add(cycle);
                    break;
                case Outcome.Lost:
                    _lost++;
                    if (!float.IsNaN(cycle)) _lostCycle.Add(cycle);
                    break;
                case Outcome.NoDecision: _noDecision++; break;
            }
        }

        public double?[] Values() =>
        [
            _all, InsightMath.Major(_pipeline), _open, _won, _lost, _noDecision,
            InsightMath.Rate(_won, _won + _lost), InsightMath.Major(_wonRevenue),
            _won == 0 ? null : Math.Round(InsightMath.Major(_wonRevenue) / _won, 2),
            InsightMath.Percentile(_wonCycle, 0.5), InsightMath.Mean(_wonCycle), InsightMath.Percentile(_lostCycle, 0.5),
        ];
    }
}
