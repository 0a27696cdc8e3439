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

    /// <summary>The options a CLI verb runs with: appsettings.json beside the executable, then TANDEM_ environment variables
    /// (TANDEM_PLAN__TIMEZONE, TANDEM_PLAN__COMMITTEDSTAGES__0 …), as the server reads them.</summary>
    public static PlanOptions FromEnvironment() =>
        new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("TANDEM_").Build().GetSection(Section).Get<PlanOptions>() ?? new PlanOptions();
}
