namespace Tandem.Features.Plan;

/// <summary>Settings of Plan, forecast and snapshots (section "Plan"; TANDEM_PLAN__TIMEZONE and so on).</summary>
public sealed class PlanOptions
{
    public const string Section = "Plan";

    /// <summary>The company's time zone: quarters, weeks and the quarter-start snapshot begin at midnight there.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Sales stages whose open deals are "validated" and go into the quarter-start snapshot. Empty: every open deal
    /// with a close date in the quarter.</summary>
    public string[] CommittedStages { get; set; } = [];

    /// <summary>Takes the quarter-start snapshot in the background (off in tests that drive it themselves).</summary>
    public bool RunInBackground { get; set; } = true;

    public NodaTime.DateTimeZone Zone() => Periods.Zone(TimeZone);

    public string? Problem()
    {
        try { Zone(); return null; }
        catch (ArgumentException e) { return $"Plan:TimeZone: {e.Message}"; }
    }

    /// <summary>The options a CLI verb runs with: TANDEM_PLAN__TIMEZONE, as the server reads it.</summary>
    public static PlanOptions FromEnvironment() =>
        new() { TimeZone = Environment.GetEnvironmentVariable("TANDEM_PLAN__TIMEZONE") ?? "UTC" };
}
