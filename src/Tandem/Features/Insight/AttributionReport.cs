using Tandem.Api;
using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Pipeline and won revenue credited to channels or campaigns (by = channel, the default, or campaign) by one
/// attribution model, with what each sourced (the person's source) and influenced (any touch in the window before
/// the deal was created; one deal influences several segments in full, so influence does not add up to the total).
/// Deals without touches are credited to "no touch" and shown. Deals are in the period by <c>basis</c>, as in deals.
/// </summary>
public static class AttributionReport
{
    public const string Name = "attribution", CompareName = "attribution-models";
    public const string NoTouch = "no touch";
    public const int DefaultWindow = 90;

    public static void Check(InsightQuery q, Errors e)
    {
        if (q.By is { } by && by is not ("channel" or "campaign"))
            e.Add("by", $"Attribution credits touches, so it splits by channel or campaign, not '{by}'; filter deals with filter=field:value.");
    }

    private static readonly InsightColumn[] Cols =
    [
        new("opportunities", "Opportunities (credit)", "count"), new("pipeline", "Pipeline credit", "money"), new("wonRevenue", "Won revenue credit", "money"),
        new("sourcedOpportunities", "Sourced opportunities", "count"), new("sourcedPipeline", "Sourced pipeline", "money"), new("sourcedRevenue", "Sourced revenue", "money"),
        new("influencedOpportunities", "Influenced opportunities", "count"), new("influencedPipeline", "Influenced pipeline", "money"),
        new("influencedRevenue", "Influenced revenue", "money"),
    ];

    private static readonly string[] Cells = ["credited", "credited", "credited", "sourced", "sourced", "sourced", "influenced", "influenced", "influenced"];

    public static InsightTable Run(InsightFacts f, Slices slices, InsightQuery q)
    {
        var model = q.Model ?? Attribution.WShaped;
        var acc = new Dictionary<(string Seg, string Cur), double[]>();
        double[] At(string seg, string cur) => acc.TryGetValue((seg, cur), out var a) ? a : acc[(seg, cur)] = new double[Cols.Length];
        foreach (var deal in Deals(f, slices.Opp, q))
        {
            var cur = f.Currencies[f.OppCurrency[deal.Index]];
            var won = f.OppOutcome[deal.Index] == Outcome.Won;
            foreach (var (seg, weight, minor) in Credits(f, q, model, deal))
            {
                var a = At(seg, cur);
                a[0] += weight;
                a[1] += minor;
                if (won) a[2] += minor;
            }
            var amount = f.OppAmount[deal.Index];
            var sourced = At(SourceLabel(f, q, deal.Person), cur);
            sourced[3]++; sourced[4] += amount; if (won) sourced[5] += amount;
            foreach (var seg in Influencers(f, q, deal))
            {
                var a = At(seg, cur);
                a[6]++; a[7] += amount; if (won) a[8] += amount;
            }
        }
        var baseQuery = (q with { Model = model }).ToQueryString();
        var rows = acc.OrderBy(kv => kv.Key.Seg, StringComparer.Ordinal).ThenBy(kv => kv.Key.Cur, StringComparer.Ordinal).Select(kv =>
        {
            string[] keys = [kv.Key.Seg, kv.Key.Cur];
            var v = kv.Value;
            return new InsightRow(keys,
                [Math.Round(v[0], 4), v[1] / 100, v[2] / 100, v[3], v[4] / 100, v[5] / 100, v[6], v[7] / 100, v[8] / 100],
                Cells.Select(c => (string?)$"/api/insight/{Name}/drill?{baseQuery}{InsightQuery.DrillSuffix(keys, c)}").ToArray());
        }).ToList();
        return new InsightTable(Name, $"Attribution ({model}) by {q.By ?? "channel"}",
            [new("segment", q.By ?? "channel", "text"), new("currency", "Currency", "text")], Cols, rows,
            [$"Credit: each deal's amount split over its primary person's touches by the {model} model, exactly to the cent.",
             $"Influenced: a touch from the segment in the {q.Window ?? DefaultWindow} days before the deal was created; one deal can be influenced by several segments."]);
    }

    /// <summary>Every model's pipeline and won-revenue credit side by side.</summary>
    public static InsightTable Compare(InsightFacts f, Slices slices, InsightQuery q)
    {
        var acc = new Dictionary<(string Seg, string Cur), double[]>();
        var models = Attribution.Models;
        foreach (var deal in Deals(f, slices.Opp, q))
        {
            var cur = f.Currencies[f.OppCurrency[deal.Index]];
            var won = f.OppOutcome[deal.Index] == Outcome.Won;
            for (var m = 0; m < models.Length; m++)
                foreach (var (seg, _, minor) in Credits(f, q, models[m], deal))
                {
                    var a = acc.TryGetValue((seg, cur), out var x) ? x : acc[(seg, cur)] = new double[models.Length * 2];
                    a[m] += minor;
                    if (won) a[models.Length + m] += minor;
                }
        }
        var baseQuery = (q with { Model = null }).ToQueryString();
        var cols = models.Select(m => new InsightColumn("pipeline:" + m, "Pipeline, " + m, "money"))
            .Concat(models.Select(m => new InsightColumn("revenue:" + m, "Won revenue, " + m, "money"))).ToArray();
        var rows = acc.OrderBy(kv => kv.Key.Seg, StringComparer.Ordinal).ThenBy(kv => kv.Key.Cur, StringComparer.Ordinal).Select(kv =>
        {
            string[] keys = [kv.Key.Seg, kv.Key.Cur];
            return new InsightRow(keys, kv.Value.Select(v => (double?)(v / 100)).ToArray(),
                cols.Select((c, i) => (string?)$"/api/insight/{Name}/drill?{baseQuery}&model={models[i % models.Length]}{InsightQuery.DrillSuffix(keys, "credited")}").ToArray());
        }).ToList();
        return new InsightTable(CompareName, $"Attribution models side by side, by {q.By ?? "channel"}",
            [new("segment", q.By ?? "channel", "text"), new("currency", "Currency", "text")], cols, rows,
            ["Each column splits the same deals' amounts by one model; every column adds up to the same total."]);
    }

    public static IEnumerable<Member> Members(InsightFacts f, Slices slices, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        if (keys.Count < 2) yield break;
        var model = q.Model ?? Attribution.WShaped;
        foreach (var deal in Deals(f, slices.Opp, q))
        {
            if (f.Currencies[f.OppCurrency[deal.Index]] != keys[1]) continue;
            var hit = cell switch
            {
                "sourced" => SourceLabel(f, q, deal.Person) == keys[0],
                "influenced" => Influencers(f, q, deal).Contains(keys[0]),
                _ => Credits(f, q, model, deal).Any(c => c.Seg == keys[0] && c.Weight > 0),
            };
            if (hit) yield return new Member(Subject.Opportunity, deal.Index);
        }
    }

    private readonly record struct Deal(int Index, int Person);

    private static IEnumerable<Deal> Deals(InsightFacts f, Slice opp, InsightQuery q)
    {
        for (var i = 0; i < f.OppCount; i++)
            if (opp.Pass(i) && DealsReport.InScope(f, q, i)) yield return new Deal(i, f.OppPerson[i]);
    }

    /// <summary>The deal's credit per segment: (segment, weight, minor units), adding up to the amount exactly.</summary>
    public static List<(string Seg, double Weight, long Minor)> Credits(InsightFacts f, InsightQuery q, string model, int oppIndex) =>
        Credits(f, q, model, new Deal(oppIndex, f.OppPerson[oppIndex]));

    private static List<(string Seg, double Weight, long Minor)> Credits(InsightFacts f, InsightQuery q, string model, Deal d)
    {
        var amount = f.OppAmount[d.Index];
        if (d.Person < 0) return [(NoTouch, 1, amount)];
        var (start, end) = (f.TouchStart[d.Person], f.TouchStart[d.Person + 1]);
        var cut = Attribution.Cutoff(model, f.OppCreated[d.Index], f.OppClosed[d.Index]);
        var stop = start;
        while (stop < end && f.TouchAt[stop] <= cut) stop++;
        if (stop == start) return [(NoTouch, 1, amount)];
        var path = new Attribution.Path(f.TouchAt.AsSpan(start, stop - start), f.TouchType.AsSpan(start, stop - start),
            f.TouchChannel.AsSpan(start, stop - start), f.Reached[0][d.Person] != Clock.None ? f.Reached[0][d.Person] : f.PersonCreated[d.Person],
            f.OppCreated[d.Index]);
        var weights = Attribution.Weights(model, path, q.HalfLife ?? Attribution.DefaultHalfLifeDays);
        var parts = Attribution.Split(amount, weights);
        var result = new List<(string, double, long)>(weights.Length);
        for (var k = 0; k < weights.Length; k++)
        {
            var seg = TouchLabel(f, q, start + k);
            var at = result.FindIndex(r => r.Item1 == seg);
            if (at < 0) result.Add((seg, weights[k], parts[k]));
            else result[at] = (seg, result[at].Item2 + weights[k], result[at].Item3 + parts[k]);
        }
        return result;
    }

    private static string TouchLabel(InsightFacts f, InsightQuery q, int t) => q.By == "campaign"
        ? f.TouchCampaign[t] >= 0 ? f.Campaigns[f.TouchCampaign[t]].Name : Dimension.None
        : Dimensions.ChannelName(f.TouchChannel[t]);

    private static string SourceLabel(InsightFacts f, InsightQuery q, int person) => person < 0 ? NoTouch : q.By == "campaign"
        ? f.PersonCampaign[person] >= 0 ? f.Campaigns[f.PersonCampaign[person]].Name : Dimension.None
        : Dimensions.ChannelName(f.PersonChannel[person]);

    private static HashSet<string> Influencers(InsightFacts f, InsightQuery q, Deal d)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var created = f.OppCreated[d.Index];
        if (d.Person < 0 || created == Clock.None) return set;
        var from = created - (long)(q.Window ?? DefaultWindow) * 86_400;
        for (var t = f.TouchStart[d.Person]; t < f.TouchStart[d.Person + 1]; t++)
            if (f.TouchAt[t] >= from && f.TouchAt[t] <= created) set.Add(TouchLabel(f, q, t));
        return set;
    }
}
