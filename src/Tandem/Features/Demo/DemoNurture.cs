using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Nurture;

namespace Tandem.Features.Demo;

/// <summary>
/// The demo's nurture tracks, so /nurture shows the idea on the first run: recycled "no budget or timing" leads (two subject lines
/// tested against each other, a branch for those who clicked), and not-yet-ready inquiries split by persona, because an
/// executive and a practitioner read different things. Built through <see cref="TrackContent"/> and checked like a saved track.
/// </summary>
internal static class DemoNurture
{
    private const string Pricing = "https://example.com/pricing", Plan = "https://example.com/plan-next-quarter",
        Guide = "https://example.com/guides/funnel-metrics", Case = "https://example.com/customers/northwind", Demo = "https://example.com/demo";

    public static IReadOnlyList<NurtureTrack> Tracks(DateTime now) =>
    [
        Track("Recycled: no budget or timing", TrackStatus.Active, now.AddDays(-40), new TrackContent(
            // The catalog's label (what a rep's reject records) and the reasons the demo's history gave for the same thing.
            new EnrolRule(LifecycleStage.Nurture, RecycleReasons: [RoutingConfiguration.Seed.Single(r => r.Code == RoutingConfiguration.NoBudgetOrTiming).Label,
                .. DemoProfile.SalesNurture]),
            [
                new Step("m1", StepKind.Message, [
                    new Variant("A", "Still thinking about it, {{ firstName | there }}?",
                        "Hi {{ firstName | there }},\n\nWhen the timing is right for {{ company | your team }}, [the pricing is here](" + Pricing + ").\n\nNo rush: reply whenever it suits you."),
                    new Variant("B", "A thought for next quarter's plan",
                        "Hi {{ firstName | there }},\n\nPlanning next quarter? Teams like {{ company | yours }} start with [a one-page plan](" + Plan + ") before the budget round."),
                ], new VariantTest(TestMode.Sequential, Reward.Mql, HoldoutPercent: 10, Baseline: 0.04, Mde: 0.02)),
                new Step("w1", StepKind.Wait, Days: 10),
                new Step("b1", StepKind.Branch, IfClicked: "m3"),
                new Step("m2", StepKind.Message, [new Variant("A", "How Northwind made the case without new budget",
                    "Hi {{ firstName | there }},\n\nNorthwind paid for Tandem out of the time their reps stopped wasting. [Read how](" + Case + ").")]),
                new Step("w2", StepKind.Wait, Days: 15),
                new Step("m3", StepKind.Message, [new Variant("A", "Shall we talk, {{ firstName | there }}?",
                    "Hi {{ firstName | there }},\n\nIf the budget question has moved, [pick a time for a short call](" + Demo + ").")]),
            ])),
        Track("Not yet ready: executives and directors", TrackStatus.Active, now.AddDays(-30), new TrackContent(
            new EnrolRule(LifecycleStage.Inquiry, Personas: ["Executive", "Director"]),
            [
                new Step("m1", StepKind.Message, [new Variant("A", "The three numbers your board asks about",
                    "Hi {{ firstName | there }},\n\nLeaders tell us the board asks for pipeline coverage, conversion and cost per SQL. [This one-pager shows all three](" + Guide + ").")]),
                new Step("w1", StepKind.Wait, Days: 7),
                new Step("m2", StepKind.Message, [new Variant("A", "What {{ company | your company }} could see in a week",
                    "Hi {{ firstName | there }},\n\n[A 20-minute walkthrough](" + Demo + ") with your own funnel, if useful.")]),
            ])),
        Track("Not yet ready: managers and practitioners", TrackStatus.Paused, now.AddDays(-20), new TrackContent(
            new EnrolRule(LifecycleStage.Inquiry, Personas: ["Manager", "Practitioner"]),
            [
                new Step("m1", StepKind.Message, [new Variant("A", "Funnel metrics without the spreadsheet",
                    "Hi {{ firstName | there }},\n\n[The getting-started guide](" + Guide + ") takes ten minutes and uses your own CRM export.")]),
                new Step("w1", StepKind.Wait, Days: 5),
                new Step("m2", StepKind.Message, [new Variant("A", "A question from {{ company | your team }}'s peers",
                    "Hi {{ firstName | there }},\n\nThe most common question we hear: how is an MQL defined? [Here is how teams agree it](" + Guide + ").")]),
            ])),
    ];

    private static NurtureTrack Track(string name, TrackStatus status, DateTime at, TrackContent content)
    {
        // A broken demo track would only show up as an empty page: fail the load instead.
        var errors = content.Validate(new Tandem.Api.Errors());
        if (errors.Any) throw new InvalidOperationException($"Demo track '{name}' is invalid: {string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value))}");
        return new NurtureTrack { Name = name, Status = status, Content = content.ToJson(), CreatedAt = at, UpdatedAt = at, Version = 1 };
    }

    public static async Task AddAsync(TandemDb db, CancellationToken ct)
    {
        db.NurtureTracks.AddRange(Tracks(db.UtcNow));
        await db.SaveChangesAsync(ct);
    }
}
