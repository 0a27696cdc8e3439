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
    private const string NoTouchLabel = NoTouch;
    public const int DefaultWindow = 90;

    public static void Check(InsightQuery q, Errors e)
    {
        if (q.By is { } by && by is not ("channel" or "channelGroup" or "campaign"))
            e.Add("by", $"Attribution credits touches, so it splits by channel, channelGroup or campaign, not '{by}'; filter deals with filter=field:value.");
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
        var seg = new Segments(f, q);
        var nCur = Math.Max(1, f.Currencies.Count);
        var width = Cols.Length;
        var acc = new double[seg.Count * nCur * width];
        var influenced = new int[seg.Count];
        var halfLife = q.HalfLife ?? Attribution.DefaultHalfLifeDays;
        for (var i = 0; i < f.OppCount; i++)
        {
            if (!slices.Opp.Pass(i) || !DealsReport.InScope(f, q, i)) continue;
            var cur = f.OppCurrency[i];
            var won = f.OppOutcome[i] == Outcome.Won;
            var amount = f.OppAmount[i];
            var person = f.OppPerson[i];
            foreach (var (code, weight, minor) in CodeCredits(f, seg, model, halfLife, i))
            {
                var a = (code * nCur + cur) * width;
                acc[a] += weight;
                acc[a + 1] += minor;
                if (won) acc[a + 2] += minor;
            }
            var s = (seg.Source(person) * nCur + cur) * width;
            acc[s + 3]++; acc[s + 4] += amount; if (won) acc[s + 5] += amount;
            foreach (var code in seg.Influencers(f, q, i, person, influenced))
            {
                var a = (code * nCur + cur) * width;
                acc[a + 6]++; acc[a + 7] += amount; if (won) acc[a + 8] += amount;
            }
        }
        var merged = Merge(seg, f, acc, nCur, width);
        var baseQuery = (q with { Model = model }).ToQueryString();
        var rows = merged.Select(kv =>
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
        var models = Attribution.Models;
        var seg = new Segments(f, q);
        var nCur = Math.Max(1, f.Currencies.Count);
        var width = models.Length * 2;
        var acc = new double[seg.Count * nCur * width];
        var halfLife = q.HalfLife ?? Attribution.DefaultHalfLifeDays;
        // The models are independent passes over the same deals: run them side by side, each into its own columns.
        Parallel.For(0, models.Length, m =>
        {
            for (var i = 0; i < f.OppCount; i++)
            {
                if (!slices.Opp.Pass(i) || !DealsReport.InScope(f, q, i)) continue;
                var cur = f.OppCurrency[i];
                var won = f.OppOutcome[i] == Outcome.Won;
                foreach (var (code, _, minor) in CodeCredits(f, seg, models[m], halfLife, i))
                {
                    var a = (code * nCur + cur) * width;
                    acc[a + m] += minor;
                    if (won) acc[a + models.Length + m] += minor;
                }
            }
        });
        var merged = Merge(seg, f, acc, nCur, width);
        var baseQuery = (q with { Model = null }).ToQueryString();
        var cols = models.Select(m => new InsightColumn("pipeline:" + m, "Pipeline, " + m, "money"))
            .Concat(models.Select(m => new InsightColumn("revenue:" + m, "Won revenue, " + m, "money"))).ToArray();
        var rows = merged.Select(kv =>
        {
            string[] keys = [kv.Key.Seg, kv.Key.Cur];
            return new InsightRow(keys, kv.Value.Select(v => (double?)(v / 100)).ToArray(),
                cols.Select((c, i) => (string?)$"/api/insight/{Name}/drill?{baseQuery}&model={models[i % models.Length]}{InsightQuery.DrillSuffix(keys, "credited")}").ToArray());
        }).ToList();
        return new InsightTable(CompareName, $"Attribution models side by side, by {q.By ?? "channel"}",
            [new("segment", q.By ?? "channel", "text"), new("currency", "Currency", "text")], cols, rows,
            ["Each column splits the same deals' amounts by one model; every column adds up to the same total."]);
    }

    /// <summary>Sums the accumulator slots by (segment name, currency): two campaigns may share a name.</summary>
    private static SortedDictionary<(string Seg, string Cur), double[]> Merge(Segments seg, InsightFacts f, double[] acc, int nCur, int width)
    {
        var merged = new SortedDictionary<(string Seg, string Cur), double[]>(
            Comparer<(string Seg, string Cur)>.Create((x, y) => string.CompareOrdinal(x.Seg, y.Seg) is var c and not 0 ? c : string.CompareOrdinal(x.Cur, y.Cur)));
        for (var code = 0; code < seg.Count; code++)
            for (var cur = 0; cur < nCur; cur++)
            {
                var at = (code * nCur + cur) * width;
                var any = false;
                for (var k = 0; k < width && !any; k++) any = acc[at + k] != 0;
                if (!any) continue;
                var key = (seg.Label(code), f.Currencies.Count == 0 ? "" : f.Currencies[cur]);
                if (!merged.TryGetValue(key, out var v)) merged[key] = v = new double[width];
                for (var k = 0; k < width; k++) v[k] += acc[at + k];
            }
        return merged;
    }

    public static IEnumerable<Member> Members(InsightFacts f, Slices slices, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        if (keys.Count < 2) yield break;
        var model = q.Model ?? Attribution.WShaped;
        var seg = new Segments(f, q);
        var influenced = new int[seg.Count];
        var halfLife = q.HalfLife ?? Attribution.DefaultHalfLifeDays;
        for (var i = 0; i < f.OppCount; i++)
        {
            if (!slices.Opp.Pass(i) || !DealsReport.InScope(f, q, i) || f.Currencies[f.OppCurrency[i]] != keys[1]) continue;
            var person = f.OppPerson[i];
            var hit = cell switch
            {
                "sourced" => seg.Label(seg.Source(person)) == keys[0],
                "influenced" => seg.Influencers(f, q, i, person, influenced).Any(c => seg.Label(c) == keys[0]),
                _ => CodeCredits(f, seg, model, halfLife, i).Any(c => c.Weight > 0 && seg.Label(c.Code) == keys[0]),
            };
            if (hit) yield return new Member(Subject.Opportunity, i);
        }
    }

    /// <summary>The deal's credit per segment name: (segment, weight, minor units), adding up to the amount exactly.</summary>
    public static List<(string Seg, double Weight, long Minor)> Credits(InsightFacts f, InsightQuery q, string model, int oppIndex)
    {
        var seg = new Segments(f, q);
        var result = new List<(string Seg, double Weight, long Minor)>();
        foreach (var (code, weight, minor) in CodeCredits(f, seg, model, q.HalfLife ?? Attribution.DefaultHalfLifeDays, oppIndex))
        {
            var label = seg.Label(code);
            var at = result.FindIndex(r => r.Seg == label);
            if (at < 0) result.Add((label, weight, minor));
            else result[at] = (label, result[at].Weight + weight, result[at].Minor + minor);
        }
        return result;
    }

    /// <summary>
    /// The deal's credit per touch, as (segment code, weight, minor units); the deal's whole amount on "no touch" when
    /// its path is empty. Per touch rather than per segment: the callers add into arrays, so nothing is grouped here.
    /// </summary>
    private static IEnumerable<(int Code, double Weight, long Minor)> CodeCredits(InsightFacts f, Segments seg, string model, double halfLife, int i)
    {
        var amount = f.OppAmount[i];
        var person = f.OppPerson[i];
        if (person < 0) return [(seg.NoTouch, 1, amount)];
        var (start, end) = (f.TouchStart[person], f.TouchEnd[person]);
        var cut = Attribution.Cutoff(model, f.OppCreated[i], f.OppClosed[i]);
        var stop = start;
        while (stop < end && f.TouchAt[stop] <= cut) stop++;
        if (stop == start) return [(seg.NoTouch, 1, amount)];
        var n = stop - start;
        var path = new Attribution.Path(f.TouchAt.AsSpan(start, n), f.TouchType.AsSpan(start, n), f.TouchChannel.AsSpan(start, n),
            f.Reached[0][person] != Clock.None ? f.Reached[0][person] : f.PersonCreated[person], f.OppCreated[i]);
        var weights = Attribution.Weights(model, path, halfLife);
        var parts = Attribution.Split(amount, weights);
        var result = new (int, double, long)[n];
        for (var k = 0; k < n; k++) result[k] = (seg.Of(start + k), weights[k], parts[k]);
        return result;
    }

    /// <summary>
    /// Segments as small integer codes, so the scans add into arrays instead of looking up names: by channel the
    /// touch's channel byte (255 = none), by campaign the campaign's position + 1 (0 = none); "no touch" is the last code.
    /// </summary>
    private sealed class Segments(InsightFacts f, InsightQuery q)
    {
        private readonly bool _campaign = q.By == "campaign";
        // By channel group, each channel's byte is first mapped to its group's number (255 = no group).
        private readonly string[] _groups = q.By == "channelGroup" ? [.. f.Channels.Groups] : [];
        private readonly byte[]? _groupOf = q.By == "channelGroup" ? GroupCodes(f.Channels) : null;

        public int Count => (_campaign ? f.Campaigns.Length + 1 : 256) + 1;
        public int NoTouch => Count - 1;

        public int Of(int touch) => _campaign ? f.TouchCampaign[touch] + 1 : Channel(f.TouchChannel[touch]);

        public int Source(int person) => person < 0 ? NoTouch : _campaign ? f.PersonCampaign[person] + 1 : Channel(f.PersonChannel[person]);

        private int Channel(byte code) => _groupOf is null ? code : _groupOf[code];

        public string Label(int code) => code == NoTouch ? NoTouchLabel
            : _campaign ? code == 0 ? Dimension.None : f.Campaigns[code - 1].Name
            : _groupOf is not null ? code < _groups.Length ? _groups[code] : Dimension.None
            : Dimensions.ChannelName(f, (byte)code);

        private static byte[] GroupCodes(Channels.ChannelSet set)
        {
            var groups = set.Groups.ToList();
            var map = Enumerable.Repeat(InsightFacts.NoChannel, 256).ToArray();
            for (var c = 0; c < set.All.Count; c++)
                if (set.All[c].Group is { } g) map[c] = (byte)groups.IndexOf(g);
            return map;
        }

        /// <summary>
        /// The segments with a touch in the window before the deal was created, each once. <paramref name="seen"/> is a
        /// scratch array of <see cref="Count"/> slots the caller keeps across deals (marked with the deal's position).
        /// </summary>
        public List<int> Influencers(InsightFacts facts, InsightQuery query, int deal, int person, int[] seen)
        {
            var result = new List<int>(4);
            var created = facts.OppCreated[deal];
            if (person < 0 || created == Clock.None) return result;
            var from = created - (long)(query.Window ?? DefaultWindow) * 86_400;
            for (var t = facts.TouchStart[person]; t < facts.TouchEnd[person]; t++)
            {
                if (facts.TouchAt[t] < from || facts.TouchAt[t] > created) continue;
                var code = Of(t);
                if (seen[code] == deal + 1) continue;
                seen[code] = deal + 1;
                result.Add(code);
            }
            return result;
        }
    }
}
