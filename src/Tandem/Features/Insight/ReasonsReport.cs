using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Why things did not go on (docs/metrics.md): lost and no-decision reasons of deals closed in the period, and the
/// reasons sales gave when rejecting a lead (cause sla:reject) or anyone disqualified it, in the period.
/// Share = the reason's count over all reasons of that kind in the segment.
/// </summary>
public static class ReasonsReport
{
    public const string Name = "reasons";
    public const string Lost = "Lost", NoDecision = "No decision", Rejected = "Rejected", Disqualified = "Disqualified";

    public static InsightTable Run(InsightFacts f, Slices slices, InsightQuery q)
    {
        // Counted under one number per (segment, kind, reason) first, named once per distinct key afterwards.
        var reasons = f.Reasons.Count + 1;
        var byCode = new Dictionary<long, int>();
        foreach (var (m, kind, reason) in ScanCodes(f, slices, q))
        {
            var seg = (m.Subject == Subject.Person ? slices.Person : slices.Opp).SegmentOf(m.Index);
            var key = ((long)seg * Kinds.Length + Array.IndexOf(Kinds, kind)) * reasons + reason + 1;
            byCode[key] = byCode.GetValueOrDefault(key) + 1;
        }
        var counts = new Dictionary<(string Seg, string Kind, string Reason), int>();
        foreach (var (code, n) in byCode)
        {
            var reason = (int)(code % reasons) - 1;
            var kind = Kinds[(int)(code / reasons % Kinds.Length)];
            var seg = (int)(code / reasons / Kinds.Length);
            var slice = kind is Lost or NoDecision ? slices.Opp : slices.Person;
            var key = (slice.Label(seg), kind, reason >= 0 ? f.Reasons[reason] : NoReason);
            counts[key] = counts.GetValueOrDefault(key) + n;
        }
        var totals = counts.GroupBy(kv => (kv.Key.Seg, kv.Key.Kind)).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        var baseQuery = q.ToQueryString();
        var rows = counts.OrderBy(kv => kv.Key.Seg, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind, StringComparer.Ordinal)
            .ThenByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Reason, StringComparer.Ordinal)
            .Select(kv =>
            {
                string[] keys = [kv.Key.Seg, kv.Key.Kind, kv.Key.Reason];
                var link = $"/api/insight/{Name}/drill?{baseQuery}{InsightQuery.DrillSuffix(keys, "count")}";
                return new InsightRow(keys, [kv.Value, InsightMath.Rate(kv.Value, totals[(kv.Key.Seg, kv.Key.Kind)])], [link, link]);
            }).ToList();
        return new InsightTable(Name, "Lost, no-decision, rejection and disqualification reasons",
            [new("segment", q.By ?? "segment", "text"), new("kind", "Kind", "text"), new("reason", "Reason", "text")],
            [new("count", "Count", "count"), new("share", "Share of kind", "rate")], rows,
            ["Deals by close date; rejections (sla:reject) and disqualifications by the date they happened."]);
    }

    public static IEnumerable<Member> Members(InsightFacts f, Slices slices, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        if (keys.Count < 3) yield break;
        foreach (var (m, kind, reason) in Scan(f, slices, q))
        {
            if (kind != keys[1] || reason != keys[2]) continue;
            var s = m.Subject == Subject.Person ? slices.Person : slices.Opp;
            if (s.Label(s.SegmentOf(m.Index)) == keys[0]) yield return m;
        }
    }

    private const string NoReason = "(no reason)";
    private static readonly string[] Kinds = [Lost, NoDecision, Rejected, Disqualified];

    private static IEnumerable<(Member, string Kind, string Reason)> Scan(InsightFacts f, Slices slices, InsightQuery q) =>
        ScanCodes(f, slices, q).Select(x => (x.Member, x.Kind, x.Reason >= 0 ? f.Reasons[x.Reason] : NoReason));

    /// <summary>Every reason in the period: the deal or person, the kind, and the reason's code (-1: none given).</summary>
    private static IEnumerable<(Member Member, string Kind, int Reason)> ScanCodes(InsightFacts f, Slices slices, InsightQuery q)
    {
        for (var i = 0; i < f.OppCount; i++)
        {
            var o = f.OppOutcome[i];
            if (o is not (Outcome.Lost or Outcome.NoDecision) || !q.InPeriod(f.OppClosed[i]) && q.HasPeriod || !slices.Opp.Pass(i)) continue;
            yield return (new Member(Subject.Opportunity, i), o == Outcome.Lost ? Lost : NoDecision, f.OppReason[i]);
        }
        for (var i = 0; i < f.PeopleCount; i++)
        {
            if (f.RejectedAt[i] == Clock.None && f.DisqualifiedAt[i] == Clock.None || !slices.Person.Pass(i)) continue;
            if (f.RejectedAt[i] != Clock.None && (!q.HasPeriod || q.InPeriod(f.RejectedAt[i])))
                yield return (new Member(Subject.Person, i), Rejected, f.RejectReason[i]);
            if (f.DisqualifiedAt[i] != Clock.None && (!q.HasPeriod || q.InPeriod(f.DisqualifiedAt[i])))
                yield return (new Member(Subject.Person, i), Disqualified, f.DisqualifyReason[i]);
        }
    }
}
