namespace Tandem.Features.Cadence;

/// <summary>Settings of section "Cadence" (docs/guide/cadence.md). The company time zone is Plan:TimeZone.</summary>
public sealed class CadenceOptions
{
    public const string Section = "Cadence";

    /// <summary>The day the record of the week that just ended is written and sent, in the company zone.</summary>
    public DayOfWeek WriteDay { get; set; } = DayOfWeek.Monday;
    /// <summary>The time of day ("07:00") on <see cref="WriteDay"/>.</summary>
    public string WriteTime { get; set; } = "07:00";
    /// <summary>An accepted lead untouched for this many business days is "stalled".</summary>
    public int StalledAfterDays { get; set; } = 5;
    /// <summary>Team name → its distribution list (addresses, comma-separated). A team without one gets its active members.</summary>
    public Dictionary<string, string> Lists { get; set; } = [];
    /// <summary>Send each week's record by email once written.</summary>
    public bool Email { get; set; } = true;
    public bool RunInBackground { get; set; } = true;
    /// <summary>Build the /sync page of the week in progress at start and when a week begins, so its first visitor does not
    /// wait for it (decision 0102). Off in the integration tests, which build it when they ask.</summary>
    public bool WarmLivePage { get; set; } = true;

    public TimeOnly Time() => TimeOnly.ParseExact(WriteTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public string? Problem()
    {
        if (!TimeOnly.TryParseExact(WriteTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            return $"Cadence:WriteTime '{WriteTime}' is not a time such as 07:00.";
        if (StalledAfterDays is < 1 or > 60) return "Cadence:StalledAfterDays must be between 1 and 60.";
        foreach (var (team, list) in Lists)
            foreach (var a in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (!Notifications.Recipients.IsAddress(a)) return $"Cadence:Lists:{team}: '{a}' is not an email address.";
        return null;
    }
}
