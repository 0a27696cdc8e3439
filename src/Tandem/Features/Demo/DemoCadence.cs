using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Cadence;
using Tandem.Features.Insight;
using Tandem.Features.Plan;

namespace Tandem.Features.Demo;

/// <summary>
/// The demo's weekly meetings: field notes (questions, objections, competitor mentions, ride-alongs and win/loss reviews) and
/// action items over the last eight weeks, then the eight weekly records the cadence job would have written, so /sync shows
/// history and "what changed" on the first run.
/// </summary>
internal static class DemoCadence
{
    public const int Weeks = 8;

    private static readonly (NoteKind Kind, string Text)[] Heard =
    [
        (NoteKind.Question, "Can we import our existing lead lists from a spreadsheet?"),
        (NoteKind.Question, "Does the SLA clock pause over public holidays?"),
        (NoteKind.Objection, "Our reps already use the CRM for this; why a second tool?"),
        (NoteKind.Competitor, "They are also looking at a BI dashboard vendor for funnel reports."),
        (NoteKind.FeatureGap, "They want a weekly digest in Slack as well as email."),
        (NoteKind.Question, "How is a marketing-qualified lead defined, and who signs it off?"),
        (NoteKind.RideAlong, "Rode along on three discovery calls: every buyer asked about data residency."),
        (NoteKind.Objection, "Price is above the budget they set for this quarter."),
    ];

    private static readonly string[] Actions =
    [
        "Send the spreadsheet import guide to the webinar leads", "Review the holiday calendar for the SLA clock",
        "Write a one-page comparison with BI dashboards", "Add data residency to the demo script", "Call back the stalled enterprise leads",
        "Agree the Q-end pricing exception process", "Share the win story with the events team", "Check why partner leads are rejected",
    ];

    public static async Task AddAsync(TandemDb db, DemoCompany co, int seed, CancellationToken ct)
    {
        var zone = PlanOptions.FromEnvironment().Zone();
        var currency = CompanyOptions.ReadSettings().Code;
        var today = Periods.Today(db.UtcNow, zone);
        var first = IsoWeek.Of(today);
        for (var n = 0; n < Weeks; n++) first = first.Previous();
        var rng = new Random(seed + 15);
        var authors = co.Users.Where(u => u.Role is Role.SalesRep or Role.Marketing).ToList();
        var owners = co.Users.Where(u => u.Role is Role.SalesRep or Role.SalesManager or Role.Marketing).ToList();
        var sqls = await db.People.AsNoTracking().Where(p => p.Stage == LifecycleStage.SQL).OrderBy(p => p.Id).Select(p => p.Id).Take(200).ToListAsync(ct);
        var reasons = await db.RejectReasons.AsNoTracking().OrderBy(r => r.Position).Select(r => r.Code).ToListAsync(ct);
        var week = first;
        for (var n = 0; n < Weeks; n++, week = week.Next())
        {
            var monday = Periods.Utc(week.Monday, zone);
            foreach (var (kind, text) in Heard.Where((_, i) => (i + n) % 3 != 0))
            {
                var author = authors[rng.Next(authors.Count)];
                db.FieldNotes.Add(new FieldNote
                {
                    Kind = kind, Text = text, AuthorId = author.Id, AuthorName = author.Name, At = monday.AddHours(9 + rng.Next(100)), CreatedAt = monday,
                    PersonId = sqls.Count > 0 ? sqls[rng.Next(sqls.Count)] : null,
                });
            }
            var closed = await db.Opportunities.AsNoTracking().Where(o => o.Outcome != Outcome.Open && o.ClosedAt >= monday && o.ClosedAt < monday.AddDays(7))
                .OrderBy(o => o.Id).Take(2).ToListAsync(ct);
            foreach (var o in closed)
            {
                var author = authors[rng.Next(authors.Count)];
                db.FieldNotes.Add(new FieldNote
                {
                    Kind = NoteKind.Review, OpportunityId = o.Id, AccountId = o.AccountId, AuthorId = author.Id, AuthorName = author.Name, At = o.ClosedAt!.Value, CreatedAt = o.ClosedAt!.Value,
                    Outcome = o.Outcome switch { Outcome.Won => ReviewOutcome.Won, Outcome.Lost => ReviewOutcome.Lost, _ => ReviewOutcome.NoDecision },
                    Text = o.Outcome == Outcome.Won ? "Won on time to value: the pilot showed MQLs accepted within a day." : "Lost on timing: budget moved to next year.",
                    Reasons = reasons.Count > 0 ? reasons[rng.Next(reasons.Count)] : null, Criteria = "Time to value, price, CRM integration",
                    Competitor = rng.Next(2) == 0 ? "Spreadsheet and CRM reports" : null,
                });
            }
            var title = Actions[n % Actions.Length];
            var owner = owners[rng.Next(owners.Count)];
            // Most actions are done a week or two later; every third is still open, so carry-over shows.
            var done = n % 3 != 2 && n < Weeks - 1 ? monday.AddDays(7 + rng.Next(3, 10)) : (DateTime?)null;
            if (done > db.UtcNow) done = null;
            db.ActionItems.Add(new ActionItem
            {
                Title = title, OwnerId = owner.Id, DueOn = week.Monday.AddDays(11), RaisedWeek = week.Key, CreatedAt = monday.AddDays(4).AddHours(10), // raised in that week's meeting
                CreatedBy = "demo", Status = done is null ? ActionStatus.Open : ActionStatus.Done, DoneAt = done,
                RemindedAt = done is null ? monday.AddDays(12) : null, // the demo does not send reminders for its past
            });
        }
        await db.SaveChangesAsync(ct);

        // Written as the job would have, each the Monday after its week (the data as it stands: a demo has no older copy).
        var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
        var options = new CadenceOptions();
        week = first;
        for (var n = 0; n < Weeks; n++, week = week.Next())
        {
            var doc = SyncBuilder.Build(await SyncGatherer.GatherAsync(db, facts, week, zone, currency, options, ct));
            var json = SyncBuilder.Serialize(doc);
            // `serve --demo` starts the cadence job before the demo is loaded, and it may already have written the last week
            // (empty): records are never replaced, so the demo's becomes the next revision, saying why.
            for (var attempt = 0; ; attempt++)
            {
                var last = await db.SyncRecords.Where(r => r.Week == week.Key).MaxAsync(r => (int?)r.Revision, ct) ?? 0;
                db.SyncRecords.Add(new SyncRecord
                {
                    Week = week.Key, Revision = last + 1, Document = json, Sha256 = SyncBuilder.Hash(json),
                    CreatedAt = last == 0 ? Periods.Utc(week.Monday.AddDays(7), zone).AddHours(7) : db.UtcNow,
                    CreatedBy = "system:cadence", Reason = last == 0 ? null : "The demo data was loaded after this week's record was written.",
                });
                try
                {
                    await db.SaveChangesAsync(ct);
                    break;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    db.ChangeTracker.Clear(); // the job wrote this week at the same moment: take the next revision
                }
            }
        }
    }
}
