using Tandem.Data;

namespace Tandem.Features.Lifecycle;

/// <summary>
/// The closed set of ways a person's lifecycle stage moves. Every stage change is one of these; its stored cause is
/// derived from it on the server (<see cref="Causes"/>), never taken from a client, so Insight and the what-if can
/// trust causes as facts.
/// </summary>
public enum Transition
{
    /// <summary>A new person's first stage: created through the API, by a first touch, or by an import.</summary>
    Enter,
    /// <summary>The active lead definition qualified the person (MQL).</summary>
    Qualify,
    /// <summary>Sales accepted the handed-over lead (SAL).</summary>
    Accept,
    /// <summary>An opportunity names the person as its primary contact (SQL).</summary>
    Convert,
    /// <summary>Sales rejected the lead with a reason that does not recycle (Disqualified).</summary>
    Reject,
    /// <summary>Sales rejected the lead with a reason that recycles it (Nurture with a re-engage date).</summary>
    Recycle,
    /// <summary>A won opportunity names the person as its primary contact (Customer).</summary>
    Won,
    /// <summary>A stage given by an import file.</summary>
    Imported,
    /// <summary>A person with the right to write leads moved the stage by hand (API or page), with a reason and a note.</summary>
    Manual,
}

/// <summary>Where a new person came from, which names the cause of their first stage.</summary>
public enum EntrySource { Api, Touch, Import }

/// <summary>The cause strings stored in <c>stage_changes.Cause</c>. Kept as they were before Lifecycle existed, so history reads the same.</summary>
public static class Causes
{
    public const string Manual = "manual";
    public const string Import = "import";
    public const string Touch = "touch";
    public const string Accept = "sla:accept";
    public const string Reject = "sla:reject";
    public const string Opportunity = "opportunity";
    public const string Won = "opportunity:won";
    public const string DefinitionPrefix = "definition:";

    public static string Definition(int number) => $"{DefinitionPrefix}v{number}";

    public static string Of(Transition t, int? definitionNumber = null) => t switch
    {
        Transition.Qualify => Definition(definitionNumber ?? throw new ArgumentNullException(nameof(definitionNumber), "Qualify needs the definition version")),
        Transition.Accept => Accept,
        Transition.Reject or Transition.Recycle => Reject,
        Transition.Convert => Opportunity,
        Transition.Won => Won,
        Transition.Imported => Import,
        Transition.Manual => Manual,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "Enter takes its cause from the entry source"),
    };

    public static string Of(EntrySource s) => s switch
    {
        EntrySource.Api => Manual,
        EntrySource.Touch => Touch,
        _ => Import,
    };
}
