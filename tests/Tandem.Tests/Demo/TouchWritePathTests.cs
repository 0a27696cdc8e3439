using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Touches;

namespace Tandem.Tests.Demo;

/// <summary>The raw write path of ingestion (people and touches outside EF) keeps the behaviour of touches:batch.</summary>
public class TouchWritePathTests
{
    private static TouchInput T(string id, string email, int minute, TouchType type = TouchType.WebVisit) =>
        new(id, email, type, Channel.Organic, null, new DateTime(2026, 3, 1, 8, minute, 0, DateTimeKind.Utc), FirstName: "Ann");

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Ingestion_creates_people_once_skips_duplicate_events_and_reports_bad_items(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var testDb = await TestDb.CreateAsync(provider);
        await using (var setup = testDb.Open())
        {
            setup.Accounts.Add(new Account { Name = "Acme", Domain = "acme.com" });
            await setup.SaveChangesAsync(ct);
        }
        var batch = new List<TouchInput>
        {
            T("e1", "Ann@Acme.com", 5), T("e2", "ann@acme.com", 1, TouchType.FormFill), T("e2", "ann@acme.com", 2), T("e3", "bob@gmail.com", 3),
            T("e4", "not-an-email", 4),
        };
        await using (var db = testDb.Open())
        {
            var first = await new TouchIngestor(db).IngestAsync(batch, ct);
            Assert.Equal((5, 3, 1, 2), (first.Received, first.Created, first.Duplicates, first.PeopleCreated));
            Assert.Equal(4, Assert.Single(first.Errors).Index);
        }
        await using (var db = testDb.Open())
        {
            var again = await new TouchIngestor(db).IngestAsync(batch, ct);
            Assert.Equal((0, 4, 0), (again.Created, again.Duplicates, again.PeopleCreated));
        }
        await using var check = testDb.Open();
        var ann = await check.People.SingleAsync(p => p.Email == "ann@acme.com", ct);
        Assert.Equal((LifecycleStage.Inquiry, "Ann", 1, new DateTime(2026, 3, 1, 8, 1, 0)), (ann.Stage, ann.FirstName, ann.Version, ann.CreatedAt));
        Assert.NotNull(ann.AccountId);
        Assert.Null((await check.People.SingleAsync(p => p.Email == "bob@gmail.com", ct)).AccountId);
        Assert.Equal(2, await check.StageChanges.CountAsync(s => s.To == LifecycleStage.Inquiry && s.Cause == "touch", ct));
        Assert.Equal(2, await check.Activity.CountAsync(a => a.Kind == "person.created", ct));
        Assert.Equal(3, await check.Touches.CountAsync(ct));
        Assert.Equal(new DateTime(2026, 3, 1, 8, 1, 0), (await check.Touches.SingleAsync(t => t.EventId == "e2", ct)).OccurredAt);
    }
}
