using System.Globalization;

namespace Tandem.Features.Handoffs;

/// <summary>
/// One number of the SLA report, named so it can be opened: its group (all leads, a rep, a team, a week) and its measure
/// (met, breached, a clause missed, …), plus the rejection table's reason, channel and campaign. The report counts with
/// these same tests, so the list behind a number has as many rows as the number says.
/// </summary>
public sealed record SlaDrill(string By, string? Key, string Measure, string? Reason = null, string? Channel = null, string? Campaign = null)
{
    public static readonly string[] Groups = ["all", "rep", "team", "week"];
    public static readonly string[] Measures = ["leads", "met", "breached", "pending", "accepted", "rejected", "first-touch", "attempts", "decision", "recycled", "requalified", "mql", "sal"];

    /// <summary>
    /// The marketing SLA's measures count stage moves, not handoffs ("people who became MQLs this week", whether or not
    /// they were routed), so their list is of those moves; null for every handoff measure.
    /// </summary>
    public Data.LifecycleStage? Stage => Measure switch
    {
        "mql" => Data.LifecycleStage.MQL,
        "sal" => Data.LifecycleStage.SAL,
        _ => null,
    };

    /// <summary>Unknown groups and measures (typed into the address bar) mean "all leads" rather than an error.</summary>
    public static SlaDrill Of(string? by, string? key, string? measure, string? reason = null, string? channel = null, string? campaign = null) =>
        new(Groups.Contains(by) ? by! : "all", key, Measures.Contains(measure) ? measure! : "leads", Blank(reason), Blank(channel), Blank(campaign));

    public bool Matches(Handoff h, DateTime now) => InGroup(h) && Measured(h, now) && (Reason is null || h.RejectReason == Reason);

    private bool InGroup(Handoff h) => By switch
    {
        "rep" => Key == (h.AssigneeId?.ToString(CultureInfo.InvariantCulture) ?? "none"),
        "team" => Key == (h.TeamId?.ToString(CultureInfo.InvariantCulture) ?? "none"),
        "week" => Key == SlaMath.WeekOf(h.AssignedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => true,
    };

    private bool Measured(Handoff h, DateTime now) => Measure switch
    {
        "met" => SlaMath.Outcome(h, now) == SlaOutcome.Met,
        "breached" => SlaMath.Outcome(h, now) == SlaOutcome.Breached,
        "pending" => SlaMath.Outcome(h, now) == SlaOutcome.Pending,
        "accepted" => h.State is HandoffState.Accepted or HandoffState.Converted,
        "rejected" => h.State == HandoffState.Rejected,
        "first-touch" => (SlaMath.BreachedClauses(h, now) & SlaDeadline.FirstTouch) != 0,
        "attempts" => (SlaMath.BreachedClauses(h, now) & SlaDeadline.Attempts) != 0,
        "decision" => (SlaMath.BreachedClauses(h, now) & SlaDeadline.Decision) != 0,
        // Rejected for a reason that recycles (and, for requalified, handed over again later): the reasons and the later
        // handoffs are in the database, so SlaReport.DrillAsync narrows these further.
        "recycled" or "requalified" => h.State == HandoffState.Rejected,
        "mql" or "sal" => false, // stage moves: see Stage
        _ => true,
    };

    /// <summary>The list's heading: "Leads that missed the first touch".</summary>
    public string Describe() => Measure switch
    {
        "met" => "Leads that met the SLA",
        "breached" => "Leads that breached the SLA",
        "pending" => "Leads with no deadline due yet",
        "accepted" => "Accepted leads",
        "rejected" => "Rejected leads",
        "first-touch" => "Leads that missed the first touch",
        "attempts" => "Leads that missed the attempts",
        "decision" => "Leads that missed the accept-or-reject deadline",
        "recycled" => "Leads rejected back to nurture",
        "requalified" => "Leads back in nurture that qualified again",
        "mql" => "People who became MQLs",
        "sal" => "People sales accepted (SAL)",
        _ => "Leads handed over",
    };

    /// <summary>The address of this list for the period.</summary>
    public string Link(DateTime from, DateTime to)
    {
        var q = new List<string> { "from=" + from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "to=" + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"by={By}", $"measure={Measure}" };
        if (Key is not null) q.Add($"key={Uri.EscapeDataString(Key)}");
        if (Reason is not null) q.Add($"reason={Uri.EscapeDataString(Reason)}");
        if (Channel is not null) q.Add($"channel={Uri.EscapeDataString(Channel)}");
        if (Campaign is not null) q.Add($"campaign={Uri.EscapeDataString(Campaign)}");
        return "/handoff/dashboard/leads?" + string.Join('&', q);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
