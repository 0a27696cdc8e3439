using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>A person's fit grade and exclusion (null when none) under one definition.</summary>
public readonly record struct Judgement(Grade Fit, string? Exclusion);

/// <summary>A real stage change as replay sees it.</summary>
public readonly record struct StageFact(DateTime At, LifecycleStage To, bool ByDefinition, DateTime? ReengageAt);

/// <summary>
/// Replays one person's real history under a definition, pure. Scores fold exactly as live. A touch can qualify the person
/// while the real stage was eligible (Inquiry, or Nurture past its re-engage date), or while the real stage was an MQL that a
/// definition made (another definition would have had the same chance), once per stay: after a replayed MQL the person is
/// not counted again until their real history puts them back into Inquiry or Nurture. So replaying the version that really
/// ran reproduces the MQLs that happened, and a draft shows what it would have done with the same people and touches.
/// </summary>
public static class Replay
{
    public static void Person(Scoring scoring, QualifySection q, Grade fit, string? exclusion, ReadOnlySpan<TouchFact> touches,
        ReadOnlySpan<StageFact> stages, DateTime now, List<DateTime> mqls)
    {
        if (stages.Length == 0 || exclusion is not null && touches.Length == 0) return;
        var first = stages[0];
        var (stage, since, reengage, byDefinition) = (first.To, first.At, first.ReengageAt, first.ByDefinition);
        var counted = false;
        var next = 1;
        var state = scoring.NewState();
        foreach (ref readonly var t in touches)
        {
            while (next < stages.Length && stages[next].At <= t.At)
            {
                var s = stages[next++];
                (stage, since, reengage, byDefinition) = (s.To, s.At, s.ReengageAt, s.ByDefinition);
                if (stage is LifecycleStage.Inquiry or LifecycleStage.Nurture) counted = false;
            }
            scoring.Apply(state, t);
            if (counted || !(Qualification.Eligible(stage, reengage, t.At) || (stage == LifecycleStage.MQL && byDefinition))) continue;
            if (Qualification.Decide(q, fit, state.Score, t.Type, exclusion) is Verdict.Score or Verdict.FastTrack)
            {
                mqls.Add(LeadEngine.Clamp(t.At, since, now));
                counted = true;
                if (!BackInFunnelLater(stages[next..])) return; // nothing can count again: the rest of the fold is moot
            }
        }
    }

    private static bool BackInFunnelLater(ReadOnlySpan<StageFact> rest)
    {
        foreach (ref readonly var s in rest)
            if (s.To is LifecycleStage.Inquiry or LifecycleStage.Nurture) return true;
        return false;
    }
}
