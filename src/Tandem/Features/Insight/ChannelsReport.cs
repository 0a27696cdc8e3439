using Tandem.Api;
using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Channels and campaigns (docs/metrics.md): campaign cost in the period, people reaching Inquiry, MQL and SQL,
/// opportunities created and deals won in the period, cost per each, and ROI = won revenue / cost.
/// People and deals belong to the channel and campaign that sourced the person. Money is per currency row;
/// counts are currency-free and repeat on each currency row of a segment.
/// </summary>
public static class ChannelsReport
{
    public const string Name = "channels";
    private static readonly string[] CostFields = ["channel", "channelGroup", "campaign"];

    private static readonly InsightColumn[] Cols =
    [
        new("cost", "Cost", "money"), new("inquiries", "Inquiries", "count"), new("mqls", "MQLs", "count"), new("sqls", "SQLs", "count"),
        new("opportunities", "Opportunities", "count"), new("pipeline", "Pipeline", "money"), new("won", "Won deals", "count"),
        new("wonRevenue", "Won revenue", "money"), new("costPerInquiry", "Cost per inquiry", "money"), new("costPerMql", "Cost per MQL", "money"),
        new("costPerSql", "Cost per SQL", "money"), new("costPerOpportunity", "Cost per opportunity", "money"),
        new("costPerWon", "Cost per won deal", "money"), new("roi", "ROI (revenue / cost)", "ratio"),
    ];

    private static readonly string?[] Cells =
        [null, "inquiries", "mqls", "sqls", "opportunities", "opportunities", "won", "won", "inquiries", "mqls", "sqls", "opportunities", "won", "won"];

    public static void Check(InsightQuery q, Errors e)
    {
        if (q.By is "currency") e.Add("by", "Split channels by channel, campaign or a people field; every currency is its own row already.");
    }

    /// <summary>Cost is known per campaign, so it is shown only when the split and filters are by channel or campaign.</summary>
    public static bool CostApplies(InsightQuery q) =>
        (q.By is null || CostFields.Contains(q.By)) && (q.Filter ?? []).All(x => CostFields.Contains(InsightQuery.SplitFilter(x).Field));

    public static InsightTable Run(InsightFacts f, Slices slices, InsightQuery q)
    {
        var segs = new SortedDictionary<string, Acc>(StringComparer.Ordinal);
        Acc At(string label) => segs.TryGetValue(label, out var a) ? a : segs[label] = new Acc();
        var (p, o) = (slices.Person, slices.Opp);
        // Counted by segment code first (no strings per person), then merged by segment name.
        var stageCounts = new int[p.Segments * 3];
        var (lo, hi) = (q.From32, q.To32);
        int[] ranks = [0, 1, 3];
        for (var i = 0; i < f.PeopleCount; i++)
        {
            if (!p.Pass(i)) continue;
            var seg = p.SegmentOf(i);
            for (var k = 0; k < 3; k++)
            {
                var t = f.Reached[ranks[k]][i];
                if (t != Clock.None && t >= lo && t < hi) stageCounts[seg * 3 + k]++;
            }
        }
        for (var seg = 0; seg < p.Segments; seg++)
        {
            if (stageCounts[seg * 3] + stageCounts[seg * 3 + 1] + stageCounts[seg * 3 + 2] == 0) continue;
            var a = At(p.Label(seg));
            (a.Inquiries, a.Mqls, a.Sqls) = (stageCounts[seg * 3], stageCounts[seg * 3 + 1], stageCounts[seg * 3 + 2]);
        }
        for (var i = 0; i < f.OppCount; i++)
        {
            if (!o.Pass(i)) continue;
            var created = !q.HasPeriod || q.InPeriod(f.OppCreated[i]);
            var won = f.OppOutcome[i] == Outcome.Won && (!q.HasPeriod || q.InPeriod(f.OppClosed[i]));
            if (!created && !won) continue;
            var a = At(o.Label(o.SegmentOf(i)));
            var cur = f.Currencies[f.OppCurrency[i]];
            if (created) { a.Opportunities++; a.Money(cur).Pipeline += f.OppAmount[i]; }
            if (won) { a.Won++; a.Money(cur).Revenue += f.OppAmount[i]; }
        }
        var withCost = CostApplies(q);
        if (withCost)
            foreach (var c in f.Campaigns)
            {
                if (!CampaignPasses(f, c, q)) continue;
                var cost = CostIn(c, q);
                if (cost == 0) continue;
                var segment = q.By switch
                {
                    "campaign" => c.Name,
                    "channel" => c.Channel.Key,
                    "channelGroup" => f.Channels.Group(c.Channel) ?? Dimension.None,
                    _ => "All",
                };
                At(segment).Money(c.Currency.ToUpperInvariant()).Cost += cost;
            }

        var baseQuery = q.ToQueryString();
        var rows = new List<InsightRow>();
        foreach (var (label, a) in segs)
        {
            var currencies = a.ByCurrency.Count == 0 ? [""] : a.ByCurrency.Keys.Order(StringComparer.Ordinal).ToList();
            foreach (var cur in currencies)
            {
                var m = a.ByCurrency.GetValueOrDefault(cur) ?? new MoneyAcc();
                double? cost = withCost ? InsightMath.Major(m.Cost) : null;
                double? Per(int n) => cost is { } c && n > 0 && c > 0 ? Math.Round(c / n, 2) : null;
                string[] keys = [label, cur];
                rows.Add(new InsightRow(keys,
                [
                    cost, a.Inquiries, a.Mqls, a.Sqls, a.Opportunities, InsightMath.Major(m.Pipeline), a.Won, InsightMath.Major(m.Revenue),
                    Per(a.Inquiries), Per(a.Mqls), Per(a.Sqls), Per(a.Opportunities), Per(a.Won),
                    cost is > 0 ? Math.Round(InsightMath.Major(m.Revenue) / cost.Value, 4) : null,
                ], Cells.Select(c => c is null ? null : $"/api/insight/{Name}/drill?{baseQuery}{InsightQuery.DrillSuffix(keys, c)}").ToArray()));
            }
        }
        return new InsightTable(Name, "Channels and campaigns: cost, stages, cost per stage and ROI",
            [new("segment", q.By ?? "segment", "text"), new("currency", "Currency", "text")], Cols, rows,
            [withCost ? "Cost: campaign cost spread evenly over the campaign's dates, the part inside the period; a campaign without dates counts in full."
                : "Cost is kept per campaign, so it is shown only when splitting and filtering by channel, channel group or campaign.",
             "People and deals count for the channel and campaign that sourced the person."]);
    }

    private static bool CampaignPasses(InsightFacts f, InsightCampaign c, InsightQuery q) =>
        (q.Filter ?? []).All(x => InsightQuery.SplitFilter(x) switch
        {
            ("channel", var v) => c.Channel.Key == v,
            ("channelGroup", var v) => (f.Channels.Group(c.Channel) ?? Dimension.None) == v,
            ("campaign", var v) => c.Name == v,
            _ => true,
        });

    /// <summary>The campaign's cost inside the period, spread evenly over its dates (minor units, rounded).</summary>
    public static long CostIn(InsightCampaign c, InsightQuery q)
    {
        if (!q.HasPeriod || c.StartsAt is not { } s || c.EndsAt is not { } e || e <= s) return c.CostMinor;
        var from = q.From ?? DateTime.MinValue;
        var to = q.To ?? DateTime.MaxValue;
        var overlap = (Min(e, to) - Max(s, from)).TotalSeconds;
        return overlap <= 0 ? 0 : (long)Math.Round(c.CostMinor * overlap / (e - s).TotalSeconds);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    public static IEnumerable<Member> Members(InsightFacts f, Slices slices, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        if (keys.Count < 1) yield break;
        var (p, o) = (slices.Person, slices.Opp);
        var stage = cell switch { "inquiries" => 0, "mqls" => 1, "sqls" => 3, _ => -1 };
        if (stage >= 0)
        {
            var seg = p.SegmentCode(keys[0]);
            for (var i = 0; seg >= 0 && i < f.PeopleCount; i++)
                if (p.SegmentOf(i) == seg && p.Pass(i) && q.InPeriod(f.Reached[stage][i])) yield return new Member(Subject.Person, i);
            yield break;
        }
        var os = o.SegmentCode(keys[0]);
        for (var i = 0; os >= 0 && i < f.OppCount; i++)
        {
            if (o.SegmentOf(i) != os || !o.Pass(i)) continue;
            var hit = cell == "won"
                ? f.OppOutcome[i] == Outcome.Won && (!q.HasPeriod || q.InPeriod(f.OppClosed[i]))
                : !q.HasPeriod || q.InPeriod(f.OppCreated[i]);
            if (hit) yield return new Member(Subject.Opportunity, i);
        }
    }

    private sealed class Acc
    {
        public int Inquiries, Mqls, Sqls, Opportunities, Won;
        public readonly Dictionary<string, MoneyAcc> ByCurrency = new(StringComparer.Ordinal);

        public MoneyAcc Money(string currency) => ByCurrency.TryGetValue(currency, out var m) ? m : ByCurrency[currency] = new MoneyAcc();
    }

    private sealed class MoneyAcc
    {
        public long Cost, Pipeline, Revenue;
    }
}
