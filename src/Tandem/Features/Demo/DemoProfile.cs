using Tandem.Data;

namespace Tandem.Features.Demo;

/// <summary>How one channel behaves: its share of new inquiries, how often they qualify, how good they are for sales,
/// what a campaign costs per quarter and which touch brings a person in.</summary>
internal readonly record struct ChannelProfile(Channel Channel, double Share, double Mql, double Quality, long QuarterCostUsd,
    TouchType FirstTouch);

/// <summary>
/// The numbers behind the demo company. Conversion rates are chosen so the whole funnel lands in the published
/// B2B ranges (Inquiry→MQL 10–25 %, MQL→SAL 40–60 %, SAL→SQL 50–70 %, SQL→Won 20–30 %) while the channels
/// differ the way practitioners report: referrals and webinars convert best, paid social worst.
/// </summary>
internal static class DemoProfile
{
    public const int Days = 730;
    public const double MqlToSal = 0.52;
    public const double SalToSql = 0.62;
    /// <summary>Of deals that close; open deals at "now" lower the observed SQL→Won rate a little.</summary>
    public const double Win = 0.28;
    public const double PersonalDomainShare = 0.12;
    public const double DuplicateShare = 0.015;
    public const double OutOfBusinessShare = 0.03;
    public const double RecycleShare = 0.15;
    public const double ExpansionShare = 0.4;
    /// <summary>How much likelier than its MQL rate a channel's people are to show buying signals; fit and v1 filter the rest.</summary>
    public const double InMarketFactor = 1.8;

    public static readonly ChannelProfile[] Channels =
    [
        new(Channel.PaidSearch, 0.17, 0.17, 0.95, 45_000, TouchType.AdClick),
        new(Channel.Organic, 0.15, 0.18, 1.00, 6_000, TouchType.WebVisit),
        new(Channel.Social, 0.12, 0.09, 0.75, 25_000, TouchType.SocialEngagement),
        new(Channel.Email, 0.08, 0.15, 0.95, 4_000, TouchType.EmailClick),
        new(Channel.Webinar, 0.08, 0.30, 1.15, 8_000, TouchType.WebinarRegistered),
        new(Channel.Event, 0.06, 0.24, 1.05, 60_000, TouchType.EventAttended),
        new(Channel.Content, 0.12, 0.15, 0.95, 12_000, TouchType.ContentDownload),
        new(Channel.Referral, 0.04, 0.40, 1.25, 3_000, TouchType.ContactRequest),
        new(Channel.Partner, 0.05, 0.28, 1.10, 15_000, TouchType.FormFill),
        new(Channel.Outbound, 0.10, 0.13, 0.90, 30_000, TouchType.Call),
        new(Channel.Other, 0.03, 0.11, 0.90, 1_000, TouchType.Other),
    ];

    public static readonly (string Name, string Domain, string[] Zones, string[] Countries)[] Regions =
    [
        ("North America", "com", ["America/New_York", "America/Chicago", "America/Los_Angeles"], ["United States", "Canada"]),
        ("EMEA", "co.uk", ["Europe/London", "Europe/Berlin", "Europe/Paris"], ["United Kingdom", "Germany", "France", "Netherlands"]),
        ("APAC", "com.au", ["Asia/Singapore", "Australia/Sydney", "Asia/Tokyo"], ["Australia", "Singapore", "Japan"]),
    ];

    public static readonly string[] PersonalDomains = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me"];

    public static readonly string[] Industries =
        ["Software", "Manufacturing", "Financial Services", "Healthcare", "Retail", "Logistics", "Education", "Energy", "Media", "Professional Services"];

    // Reasons come from the one catalog (Features/Handoffs/Reasons, decision 0084), so the demo's reports, the reject
    // form and the timelines use the same words. Each list keeps its length and the order its special entries had: the
    // generator draws one number per pick either way, and "Bad contact data" (which adds a bounce) stays fifth.
    public static readonly string[] InquiryNurture = ["Early research only", "No budget or timing now", "Early research only"];
    public static readonly string[] InquiryDisqualify = ["Student or job seeker", "Competitor", "Duplicate", "Vendor pitching us", BadContactData];
    public const string BadContactData = "Bad contact data", OutOfBusiness = "Out of business";
    public static readonly string[] SalesReject = ["Not our ideal customer", "Bad contact data", "Not our ideal customer", "Competitor"];
    public static readonly string[] SalesNurture = ["No budget or timing now", "No budget or timing now", "No budget or timing now"];
    public static readonly string[] AfterLoss = ["Lost deal: re-engage in six months", "No decision: check back next budget cycle"];

    public static readonly string[] WinReasons = ["Best product fit", "Faster time to value", "Strong champion", "Integration with their stack", "Price"];
    public static readonly string[] LossReasons = ["Lost to competitor", "Price too high", "Missing feature", "Champion left", "Chose in-house build"];
    public static readonly string[] NoDecisionReasons = ["No budget or timing now", "Project shelved", "Went dark", "Champion left"];

    public static readonly string[] SalesStages = ["Discovery", "Demo", "Proposal", "Negotiation"];
    public const string ClosedWon = "Closed Won", ClosedLost = "Closed Lost", NoDecision = "No Decision";

    public static readonly string[] Pages = ["/", "/product", "/pricing", "/customers", "/blog/funnel-metrics", "/docs/getting-started"];

    public static readonly string[] PageProps = [.. Pages.Select(x => $$"""{"page":"{{x}}"}""")];

    public static double Clamp(double p) => Math.Clamp(p, 0, 0.95);
}
