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
        var counts = new Dictionary<(string Seg, string Kind, string Reason), int>();
        foreach (var (m, kind, reason) in Scan(f, slices, q))
        {
            var seg = m.Subject == Subject.Person ? slices.Person.Label(slices.Person.SegmentOf(m.Index)) : slices.Opp.Label(slices.Opp.SegmentOf(m.Index));
            var key = (seg, kind, reason);
            counts[key] = counts.GetValueOrDefault(key) + 1;
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

    private static IEnumerable<(Member, string Kind, string Reason)> Scan(InsightFacts f, Slices slices, InsightQuery q)
    {
        for (var i = 0; i < f.OppCount; i++)
        {
            var o = f.OppOutcome[i];
            if (o is not (Outcome.Lost or Outcome.NoDecision) || !q.InPeriod(f.OppClosed[i]) && q.HasPeriod || !slices.Opp.Pass(i)) continue;
            yield return (new Member(Subject.Opportunity, i), o == Outcome.Lost ? Lost : NoDecision,
                f.OppReason[i] >= 0 ? f.Reasons[f.OppReason[i]] : "(no reason)");
        }
        for (var i = 0; i < f.PeopleCount; i++)
        {
            if (!slices.Person.Pass(i)) continue;
            if (f.RejectedAt[i] != Clock.None && (!q.HasPeriod || q.InPeriod(f.RejectedAt[i])))
                yield return (new Member(Subject.Person, i), Rejected, f.Reasons[f.RejectReason[i]]);
            if (f.DisqualifiedAt[i] != Clock.None && (!q.HasPeriod || q.InPeriod(f.DisqualifiedAt[i])))
                yield return (new Member(Subject.Person, i), Disqualified, f.Reasons[f.DisqualifyReason[i]]);
        }
    }
}
