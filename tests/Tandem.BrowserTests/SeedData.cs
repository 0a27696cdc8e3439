using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Campaigns;
using Tandem.Features.People;
using Tandem.Features.Properties;
using Tandem.Features.Touches;
using Tandem.Features.Users;

namespace Tandem.BrowserTests;

/// <summary>
/// A small, fixed funnel written straight through <see cref="TandemDb"/>, so the browser tests know every number
/// on the pages. The clock stands at <see cref="Now"/> (Q2 2026), so Q1 2026 is "last quarter".
/// </summary>
/// <remarks>
/// Entries this quarter: Inquiry 18, MQL 7, SAL 1, Disqualified 1. Last quarter: Inquiry 12, MQL 3.
/// 30 people in all, so a page size of 10 gives three pages.
/// </remarks>
public static class SeedData
{
    public static readonly DateTimeOffset Now = new(2026, 5, 15, 12, 0, 0, TimeSpan.Zero);
    public const int People = 30;
    public const string GraceEmail = "grace.hopper@acme.example";

    private static readonly string[] FirstNames = ["Ada", "Alan", "Barbara", "Dennis", "Edsger", "Frances", "John", "Katherine", "Ken", "Linus"];
    private static readonly string[] LastNames = ["Lovelace", "Turing", "Liskov", "Ritchie", "Dijkstra", "Allen", "Backus", "Johnson", "Thompson", "Torvalds"];

    public static async Task WriteAsync(TandemDb db, CancellationToken ct)
    {
        var dana = new User { Name = "Dana Reyes", Email = "dana@tandem.example", Role = Role.SalesRep };
        var sam = new User { Name = "Sam Ortiz", Email = "sam@tandem.example", Role = Role.SalesRep };
        var acme = new Account { Name = "Acme Robotics", Domain = "acme.example", Industry = "Manufacturing" };
        var globex = new Account { Name = "Globex", Domain = "globex.example" };
        var webinar = new Campaign { Name = "Spring webinar", Channel = Channel.Webinar, CostMinor = 250_000 };
        db.AddRange(dana, sam, acme, globex, webinar);
        await db.SaveChangesAsync(ct);

        var grace = new Person
        {
            Email = GraceEmail, FirstName = "Grace", LastName = "Hopper", Title = "VP Engineering", Phone = "+1 555 0100",
            AccountId = acme.Id, SourceChannel = Channel.Webinar, SourceCampaignId = webinar.Id, OwnerId = dana.Id,
        };
        Path(db, grace, (LifecycleStage.Inquiry, Day(2026, 2, 10)), (LifecycleStage.MQL, Day(2026, 4, 12)), (LifecycleStage.SAL, Day(2026, 5, 2)));

        for (var i = 1; i < People; i++)
        {
            var p = new Person
            {
                Email = $"person{i:00}@globex.example", FirstName = FirstNames[i % 10], LastName = LastNames[(i / 10 + i) % 10],
                Title = i % 2 == 0 ? "Analyst" : "Director", AccountId = globex.Id, OwnerId = i % 2 == 0 ? sam.Id : null,
            };
            // 18 enter this quarter and 11 last quarter; every third also becomes an MQL the next day.
            var inquiry = i <= 18 ? Day(2026, 4, 1).AddDays(i) : Day(2026, 1, 5).AddDays(i);
            var steps = new List<(LifecycleStage, DateTime)> { (LifecycleStage.Inquiry, inquiry) };
            if (i % 3 == 0) steps.Add((LifecycleStage.MQL, inquiry.AddDays(1)));
            if (i == 29) steps.Add((LifecycleStage.Disqualified, Day(2026, 5, 1)));
            Path(db, p, [.. steps]);
        }
        await db.SaveChangesAsync(ct);
        db.Touches.AddRange(
            new Touch { EventId = "seed-grace-1", PersonId = grace.Id, Type = TouchType.WebinarAttended, Channel = Channel.Webinar, CampaignId = webinar.Id, OccurredAt = Day(2026, 2, 10), ReceivedAt = Day(2026, 2, 10) },
            new Touch { EventId = "seed-grace-2", PersonId = grace.Id, Type = TouchType.DemoRequest, Channel = Channel.PaidSearch, OccurredAt = Day(2026, 4, 12), ReceivedAt = Day(2026, 4, 12) });
        await Props.ReplaceAsync(db, SubjectKind.Person, grace.Id, new Dictionary<string, string> { ["segment"] = "Enterprise" }, ct);
        await db.SaveChangesAsync(ct);
    }

    private static DateTime Day(int y, int m, int d) => new(y, m, d, 10, 0, 0, DateTimeKind.Utc);

    private static void Path(TandemDb db, Person p, params (LifecycleStage To, DateTime At)[] path)
    {
        db.People.Add(p);
        LifecycleStage? from = null;
        foreach (var (to, at) in path)
        {
            db.StageChanges.Add(new StageChange
            {
                Person = p, From = from, To = to, At = at, Cause = "seed", Actor = "user:dana",
                Reason = to == LifecycleStage.Disqualified ? "Out of business" : null,
            });
            (p.Stage, p.StageChangedAt, from) = (to, at, to);
        }
    }
}
