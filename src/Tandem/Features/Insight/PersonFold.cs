using Tandem.Data;
using Tandem.Features.Lifecycle;

namespace Tandem.Features.Insight;

/// <summary>
/// What stage changes and deals decide about one person's columns: the stages reached (earliest time each), the definition
/// version of their first MQL, their first rejection and disqualification. Shared by the full load and the incremental
/// update, so both compute the same facts from the same rows.
/// </summary>
internal sealed class PersonFold(int[][] reached, int[] version, int[] rejectedAt, int[] rejectReason, int[] disqualifiedAt,
    int[] disqualifyReason, Labels versions, Labels reasons)
{
    private readonly int _none = versions.Code("none");

    public int NoVersion => _none;

    /// <summary>Forgets what was known of person <paramref name="i"/>, before folding their rows again.</summary>
    public void Reset(int i)
    {
        foreach (var r in reached) r[i] = Clock.None;
        (version[i], rejectedAt[i], rejectReason[i], disqualifiedAt[i], disqualifyReason[i]) = (_none, Clock.None, 0, Clock.None, 0);
    }

    /// <summary>One stage change, in the person's time order.</summary>
    public void Stage(int i, LifecycleStage to, DateTime at, string cause, string? reason)
    {
        var t = Clock.Of(at);
        Reach(reached, i, InsightLoader.Rank(to), t);
        if (to == LifecycleStage.MQL && version[i] == _none && cause.StartsWith(Causes.DefinitionPrefix, StringComparison.Ordinal))
            version[i] = versions.Code(cause[Causes.DefinitionPrefix.Length..]);
        if (cause == Causes.Reject && rejectedAt[i] == Clock.None)
            (rejectedAt[i], rejectReason[i]) = (t, reasons.Code(Handoffs.Reasons.Label(reason) ?? "(no reason)"));
        if (to == LifecycleStage.Disqualified && disqualifiedAt[i] == Clock.None)
            (disqualifiedAt[i], disqualifyReason[i]) = (t, reasons.Code(Handoffs.Reasons.Label(reason) ?? "(no reason)"));
    }

    /// <summary>
    /// A deal is the record of SQL, a won deal of Customer (docs/metrics.md): people loaded from an export with deals but no
    /// stage history still move down the funnel, dated by the deal.
    /// </summary>
    public void Deal(int i, Outcome outcome, DateTime? created, DateTime? closed)
    {
        Reach(reached, i, InsightFacts.SqlRank, Clock.Of(created));
        if (outcome == Outcome.Won) Reach(reached, i, InsightFacts.CustomerRank, Clock.Of(closed));
    }

    /// <summary>
    /// "Reached stage k" means reached k or any later stage: skipping MQL still counts as having passed it. Keeps the
    /// earliest time per stage.
    /// </summary>
    private static void Reach(int[][] reached, int person, int rank, int at)
    {
        if (at == Clock.None) return;
        for (var k = 0; k <= rank; k++)
            if (reached[k][person] == Clock.None || at < reached[k][person]) reached[k][person] = at;
    }
}
