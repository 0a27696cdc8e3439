using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Features.Nurture;

/// <summary>What enrolment looks at for one person, read in one narrow pass (<see cref="NurtureRunner"/>).</summary>
public sealed record PersonFacts(int Id, LifecycleStage Stage, string? RecycleReason, string Persona, Grade? Grade, double Score, Channel? Channel,
    IReadOnlyDictionary<string, string>? Properties = null);

/// <summary>Who a track enrols. Pure.</summary>
public static class EnrolRules
{
    /// <param name="threshold">The definition's MQL score threshold: an Inquiry enrols only below it (not yet ready).</param>
    public static bool Matches(EnrolRule rule, PersonFacts p, int threshold)
    {
        if (p.Stage != rule.Stage) return false;
        if (rule.Stage == LifecycleStage.Inquiry && p.Score >= threshold) return false;
        if (rule.Stage == LifecycleStage.Nurture && Any(rule.RecycleReasons)
            && !rule.RecycleReasons!.Contains(p.RecycleReason ?? "", StringComparer.OrdinalIgnoreCase)) return false;
        if (Any(rule.Personas) && !rule.Personas!.Contains(p.Persona, StringComparer.OrdinalIgnoreCase)) return false;
        if (Any(rule.Grades) && (p.Grade is not { } g || !rule.Grades!.Contains(g))) return false;
        if (Any(rule.Channels) && (p.Channel is not { } c || !rule.Channels!.Contains(c))) return false;
        if (rule.Properties is { Count: > 0 } wanted)
            foreach (var (name, value) in wanted)
                if (p.Properties?.GetValueOrDefault(name) is not { } have || !have.Equals(value, StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    /// <summary>Whether a person still belongs in a track they are in: the stage is still the one the track nurtures.
    /// Any other stage is an exit: MQL (requalified) or another move (sales took them back).</summary>
    public static string? ExitFor(EnrolRule rule, LifecycleStage stage) => stage == rule.Stage || (rule.Stage == LifecycleStage.Inquiry && stage == LifecycleStage.Nurture)
        ? null
        : stage == LifecycleStage.MQL ? ExitReasons.BecameMql : stage is LifecycleStage.SAL or LifecycleStage.SQL or LifecycleStage.Customer
            ? ExitReasons.SalesTookBack : ExitReasons.NoLongerMatches;

    private static bool Any<T>(T[]? list) => list is { Length: > 0 };
}

/// <summary>Where an enrolment goes after a step. Pure: a wait is counted in business days of the company calendar.</summary>
public static class TrackSchedule
{
    /// <summary>The next step's index and when it is due; an index past the last step means the track ended.</summary>
    public static (int Index, DateTime DueAt) After(TrackContent c, int index, bool clicked, DateTime now, Calendars.BusinessCalendar calendar)
    {
        var step = c.Steps[index];
        return step.Kind switch
        {
            StepKind.Wait => (index + 1, calendar.AddBusinessDays(now, step.Days ?? 1)),
            StepKind.Branch => ((clicked ? step.IfClicked : step.IfNotClicked) switch
            {
                null => index + 1,
                TrackContent.End => c.Steps.Length,
                var key => c.IndexOf(key),
            }, now),
            _ => (index + 1, now),
        };
    }
}
