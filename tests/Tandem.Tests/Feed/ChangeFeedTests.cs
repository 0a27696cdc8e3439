using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Data.Feed;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Tests.Feed;

/// <summary>The change feed: written with every change in its own transaction, and read in commit order (decision 0041).</summary>
public class ChangeFeedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Every_write_path_names_what_it_changed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await using var db = app.Db.Open(app.Clock);
        var start = await ChangeFeed.HeadAsync(db, Ct);

        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });                       // EF save
        await app.PostAsync<BatchResult>("/api/touches:batch", new                                                  // raw SQL ingest
        {
            touches = new[]
            {
                new { eventId = "e1", email = "ann@acme.com", type = "WebVisit", channel = "Organic", occurredAt = "2026-02-01T10:00:00Z" },
                new { eventId = "e2", email = "bob@acme.com", type = "WebVisit", channel = "Organic", occurredAt = "2026-02-01T10:00:00Z" },
            },
        });
        var bob = (await app.GetAsync<Tandem.Api.Page<PersonDto>>("/api/people?q=bob")).Items.Single();
        await app.Client.PutAsJsonAsync($"/api/people/{p.Id}", new { email = "ann@acme.com", version = 1, properties = new { segment = "SMB" } }, Ct);

        var delta = await ChangeFeed.ReadAsync(db, start, await ChangeFeed.HeadAsync(db, Ct), Ct);
        Assert.False(delta.Full);
        Assert.Equal(3, delta.To - start);
        Assert.Equal([p.Id, bob.Id], delta.People.Order());
        Assert.Contains("custom_properties", delta.Tables);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_failed_transaction_leaves_no_feed_entry(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await using var db = app.Db.Open(app.Clock);
        var head = await ChangeFeed.HeadAsync(db, Ct);

        await using (var tx = await db.Database.BeginTransactionAsync(Ct))
        {
            db.People.Add(new Person { Email = "ann@acme.com", CreatedAt = db.UtcNow });
            await db.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        }
        db.ChangeTracker.Clear();
        // A save that fails in the database (a duplicate email) rolls back its own transaction, feed entry and all.
        await using (var other = app.Db.Open(app.Clock))
        {
            other.People.Add(new Person { Email = "bob@acme.com", CreatedAt = db.UtcNow });
            await other.SaveChangesAsync(Ct);
        }
        var bumped = await ChangeFeed.HeadAsync(db, Ct);
        db.People.Add(new Person { Email = "bob@acme.com", CreatedAt = db.UtcNow });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

        Assert.Equal(head + 1, bumped);
        Assert.Equal(bumped, await ChangeFeed.HeadAsync(db, Ct));
        Assert.Equal(bumped - head, await db.ChangeFeed.CountAsync(e => e.Seq > head, Ct));
        Assert.False(await db.People.AnyAsync(x => x.Email == "ann@acme.com", Ct));
    }

    [Fact]
    public async Task Readers_see_commits_in_commit_order_even_when_ids_were_allocated_the_other_way()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDb.PostgresEnv))) Assert.Skip("Needs PostgreSQL (set TANDEM_TEST_POSTGRES): SQLite has one writer at a time.");
        await using var app = await TestApp.StartAsync("postgres");
        await using var reader = app.Db.Open(app.Clock);
        await using var slow = app.Db.Open(app.Clock);
        await using var fast = app.Db.Open(app.Clock);
        var start = await ChangeFeed.HeadAsync(reader, Ct);

        // The slow writer takes the lower person id first and holds its transaction open...
        await using var slowTx = await slow.Database.BeginTransactionAsync(Ct);
        var early = new Person { Email = "early@acme.com", CreatedAt = slow.UtcNow };
        slow.People.Add(early);
        await slow.SaveChangesAsync(Ct);
        // ...while the fast one takes a higher id and commits.
        var late = new Person { Email = "late@acme.com", CreatedAt = fast.UtcNow };
        fast.People.Add(late);
        await fast.SaveChangesAsync(Ct);
        Assert.True(late.Id > early.Id);

        var first = await ChangeFeed.ReadAsync(reader, start, await ChangeFeed.HeadAsync(reader, Ct), Ct);
        Assert.Equal([late.Id], first.People);
        await slowTx.CommitAsync(Ct);
        // A reader that followed ids would now skip the early person (its id is below what it has seen); the feed hands it over.
        var second = await ChangeFeed.ReadAsync(reader, first.To, await ChangeFeed.HeadAsync(reader, Ct), Ct);
        Assert.Equal([early.Id], second.People);
        Assert.Equal(first.To + 1, second.To);
    }
}
