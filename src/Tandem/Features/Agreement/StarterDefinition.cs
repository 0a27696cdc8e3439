using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>
/// A sensible first definition for a B2B software company: the demo's v1 and the template for a new install's first draft.
/// Fit favours mid-size companies in the target industries and buyer titles; engagement favours hand-raisers (demo and
/// contact requests) and buying signals (pricing, webinars, events) over passive email opens, which are capped.
/// </summary>
public static class StarterDefinition
{
    public static DefinitionContent Content { get; } = new(
        new FitSection(
            [
                new FitRule("account.employees", "gte", 50, Number: 50, Label: "50 or more employees"),
                new FitRule("account.employees", "gte", 15, Number: 500, Label: "500 or more employees"),
                new FitRule("account.industry", "in", 20, Values: ["Software", "Financial Services", "Healthcare", "Manufacturing", "Professional Services"],
                    Label: "Target industry"),
                new FitRule("person.title", "contains", 20, Values: ["Chief", "VP", "Vice President", "Head", "Director", "Manager", "Lead", "Principal"],
                    Label: "Buyer persona title"),
                new FitRule("person.personalEmail", "isTrue", -40, Label: "Personal email address"),
            ],
            [new GradeBand(Grade.A, 70, null), new GradeBand(Grade.B, 45, 69), new GradeBand(Grade.C, 20, 44), new GradeBand(Grade.D, null, 19)]),
        new EngagementSection(30,
            [
                new ScoreRule("Demo request", 40, TouchType.DemoRequest),
                new ScoreRule("Contact request", 30, TouchType.ContactRequest),
                new ScoreRule("Pricing page", 15, TouchType.PricingPageVisit, Cap: new ScoreCap(30, 7)),
                new ScoreRule("Webinar attended", 20, TouchType.WebinarAttended),
                new ScoreRule("Webinar registered", 5, TouchType.WebinarRegistered),
                new ScoreRule("Event attended", 20, TouchType.EventAttended),
                new ScoreRule("Content download", 10, TouchType.ContentDownload, Cap: new ScoreCap(30, 7)),
                new ScoreRule("Form fill", 10, TouchType.FormFill),
                new ScoreRule("Chat", 10, TouchType.Chat),
                new ScoreRule("Email click", 3, TouchType.EmailClick, Cap: new ScoreCap(15, 7)),
                new ScoreRule("Email open", 1, TouchType.EmailOpen, Cap: new ScoreCap(5, 7)),
                new ScoreRule("Web visit", 2, TouchType.WebVisit, Cap: new ScoreCap(10, 7)),
                new ScoreRule("Ad click", 3, TouchType.AdClick, Cap: new ScoreCap(9, 7)),
                new ScoreRule("Social engagement", 2, TouchType.SocialEngagement, Cap: new ScoreCap(6, 7)),
                new ScoreRule("Careers page", -10, TouchType.CareersPageVisit),
                new ScoreRule("Unsubscribe", -20, TouchType.Unsubscribe),
                new ScoreRule("Bounce", -50, TouchType.Bounce),
            ]),
        new QualifySection(Grade.B, 60, [new FastTrack(TouchType.DemoRequest, Grade.C), new FastTrack(TouchType.ContactRequest, Grade.B)]),
        new ExclusionSection(PersonalEmail: true, Students: true, JobSeekers: true, DisqualifiedAccounts: true,
            CompetitorDomains: ["rivalcrm.com", "pipelinepro.io"]));
}
