using Microsoft.Extensions.Configuration;
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
    /// <summary>These tests count feed entries: the host's own background jobs (the weekly record at the clock's jump,
    /// nurture passes, snapshots) would commit entries of their own in between, so they are off. The pruner stays on.</summary>
    private static void Quiet(Microsoft.AspNetCore.Builder.WebApplicationBuilder b) =>
        b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cadence:RunInBackground"] = "false", ["Nurture:RunInBackground"] = "false", ["Plan:RunInBackground"] = "false",
            ["Email:RunInBackground"] = "false", ["Sla:RunInBackground"] = "false", ["Webhooks:RunInBackground"] = "false",
            ["Learning:RunInBackground"] = "false",
        });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Every_write_path_names_what_it_changed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, configure: Quiet);
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
        // At least the three commits above; a background job of the host (nurture, cadence) may commit in between.
        Assert.True(delta.To - start >= 3, $"{delta.To - start} feed entries for three commits");
        Assert.Subset(delta.People.ToHashSet(), new[] { p.Id, bob.Id }.ToHashSet());
        Assert.Contains("custom_properties", delta.Tables);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Entries_past_retention_are_pruned_and_a_reader_behind_the_cut_is_told_to_rebuild(string provider)
    {
        // On the database alone: a running app would prune by itself once the clock passes the retention (FeedPruner).
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var store = await TestDb.CreateAsync(provider, clock);
        await using var db = store.Open(clock);
        var start = await ChangeFeed.HeadAsync(db, Ct);
        async Task<int> AddAsync(string email)
        {
            await using var w = store.Open(clock);
            var p = new Person { Email = email, CreatedAt = w.UtcNow };
            w.People.Add(p);
            await w.SaveChangesAsync(Ct);
            return p.Id;
        }
        await AddAsync("old1@acme.com");
        await AddAsync("old2@acme.com");
        var cut = await ChangeFeed.HeadAsync(db, Ct);
        clock.Advance(ChangeFeed.Retention + TimeSpan.FromHours(1));
        var recent = await AddAsync("new@acme.com");
        var head = await ChangeFeed.HeadAsync(db, Ct);

        Assert.Equal(cut - start, await db.ChangeFeed.CountAsync(e => e.Seq > start && e.Seq <= cut, Ct)); // nothing pruned yet
        Assert.Equal(cut, await ChangeFeed.PruneAsync(db, Ct));
        Assert.Equal(0, await ChangeFeed.PruneAsync(db, Ct));                    // a second instance's pass finds nothing

        Assert.Equal([head], await db.ChangeFeed.Select(e => e.Seq).ToListAsync(Ct));
        Assert.True((await ChangeFeed.ReadAsync(db, start, head, Ct)).Full);      // its next entries are gone: rebuild
        var current = await ChangeFeed.ReadAsync(db, cut, head, Ct);               // caught up to the cut: follows as before
        Assert.False(current.Full);
        Assert.Equal([recent], current.People);
    }

    [Fact]
    public async Task A_running_server_prunes_the_feed_by_itself_once_entries_pass_retention()
    {
        await using var app = await TestApp.StartAsync("sqlite", configure: Quiet);
        await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        await using var db = app.Db.Open(app.Clock);
        Assert.True(await db.ChangeFeed.AnyAsync(Ct));

        var written = await ChangeFeed.HeadAsync(db, Ct);
        app.Clock.Advance(ChangeFeed.Retention + FeedPruner.FirstRun);
        // Wait for the entries written before the jump: a background job (the weekly record) may write fresh ones after it.
        for (var waited = 0; await db.ChangeFeed.AnyAsync(e => e.Seq <= written, Ct); waited += 50)
        {
            Assert.True(waited < 10_000, "the feed was not pruned within 10 s of the clock passing the retention: " + string.Join("; ", (await db.ChangeFeed.ToListAsync(Ct)).Select(e => $"{e.Seq} {e.At:O} p={e.People} t={e.Tables} full={e.Full}")));
            await Task.Delay(50, Ct);
            // Time goes on: under a loaded CI the pruner's first timer can be set after the jump above, and then only a
            // later tick of the (fake) clock fires it.
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.True(await ChangeFeed.HeadAsync(db, Ct) > 0); // the head keeps counting from where it was
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_failed_transaction_leaves_no_feed_entry(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, configure: Quiet);
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
        await using var app = await TestApp.StartAsync("postgres", configure: Quiet);
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
