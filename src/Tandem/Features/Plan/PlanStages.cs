namespace Tandem.Features.Plan;

/// <summary>The stages a plan walks, bottom to top: won deals come from SQLs, SQLs from SALs, and so on. Index = funnel rank
/// (Inquiry 0 … SQL 3; Won 4 is the Customer rank, reached by winning a deal).</summary>
public static class PlanStages
{
    public static readonly string[] Names = ["Inquiry", "MQL", "SAL", "SQL", "Won"];
    public static readonly string[] Labels = ["Inquiries", "MQLs", "SALs", "SQLs", "Won deals"];
    public const int Count = 5, Won = 4;

    /// <summary>Transition k is stage k → stage k + 1.</summary>
    public static string Transition(int k) => $"{Names[k]} → {Names[k + 1]}";

    public static int IndexOf(string name) => Array.FindIndex(Names, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
}
