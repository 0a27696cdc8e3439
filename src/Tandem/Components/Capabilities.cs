namespace Tandem.Components;

/// <summary>A capability from product.md, in order of dependence. Built ones (with an <see cref="Href"/>) are in the
/// navigation; those not built yet are shown as "coming soon" so people see where the product is going without meeting broken links.</summary>
public sealed record Capability(string Name, string Slug, string Summary, string? Href)
{
    public bool IsAvailable => Href is not null;

    public string Link => Href ?? $"/soon/{Slug}";

    public static readonly IReadOnlyList<Capability> Planned =
    [
        new("Agreement", "agreement", "Fit grade and engagement score, explainable and with decay; the versioned lead definition with dual approval and a what-if on history; automatic MQL.", "/agreement"),
        new("Handoff", "handoff", "Routing, the business-hours SLA, the rep's queue, accept/reject/recycle, breach alerts, and SLA reports.", "/handoff"),
        new("Insight", "insight", "Funnel conversion and velocity by cohort, channel, campaign, segment, persona and owner; cost and ROI; win/loss; attribution; drill-down everywhere.", "/insight"),
        new("Plan", "plan", "The reverse waterfall from the revenue target, budget by channel, the probability of hitting the number, pacing, a forecast with a backtest, and quarter-start snapshots.", "/revenue"),
        new("Cadence", "cadence", "The shared scorecard, the weekly sync report, field notes (voice of the customer, win/loss, questions heard), and action items.", "/sync"),
        new("Learning", "learning", "A data-driven scoring model with explanations, lift and calibration; a suggested lead definition; conversion and LTV:CAC by segment.", "/learning"),
        new("Nurture", "nurture", "Tracks by persona and stage, message variants with A/B results, and sending.", "/nurture"),
    ];

    public static Capability? Find(string? slug) => Planned.FirstOrDefault(c => string.Equals(c.Slug, slug, StringComparison.OrdinalIgnoreCase));
}
