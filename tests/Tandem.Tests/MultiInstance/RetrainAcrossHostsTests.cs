using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using Tandem.Features.Learning;
using Tandem.Tests.Demo;

namespace Tandem.Tests.MultiInstance;

/// <summary>The weekly retrain on two hosts at once: one model a week, stored as a candidate, never promoted by itself.</summary>
public class RetrainAcrossHostsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_hosts_racing_the_weekly_retrain_train_exactly_one_candidate(string provider)
    {
        var (store, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var owned = store;
        // DemoFixture.Now is Monday 2 November 2026, 09:30 UTC; the schedule is Monday 06:00 in New York (11:00 UTC), so this
        // week's run is not due yet and last week's (26 October) is.
        var clock = new FakeTimeProvider(DemoFixture.Now);
        void Settings(WebApplicationBuilder b) => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Learning:RetrainEvery"] = "Monday 06:00", ["Plan:TimeZone"] = "America/New_York", ["Learning:RunInBackground"] = "false",
            // The hosted job would race too; the test drives the passes itself so it can count them.
            ["Sla:RunInBackground"] = "false", ["Webhooks:RunInBackground"] = "false",
        });
        await using var a = await TestApp.StartOnAsync(store, clock, configure: Settings);
        await using var b = await TestApp.StartOnAsync(store, clock, configure: Settings);
        Task<LearnedModel?> Pass(TestApp app) => Task.Run(() => app.App.Services.GetRequiredService<RetrainRunner>().RunOnceAsync(Ct), Ct);

        var first = await Task.WhenAll(Pass(a), Pass(b), Pass(a), Pass(b));
        var trained = Assert.Single(first, m => m is not null)!;
        Assert.Equal((2, ModelStatus.Candidate, RetrainRunner.Actor), (trained.Number, trained.Status, trained.TrainedBy));

        // Later passes in the same week find the claim; nothing is promoted by the schedule.
        Assert.All(await Task.WhenAll(Pass(a), Pass(b)), Assert.Null);
        await using (var db = store.Open(clock))
        {
            var rows = await db.LearnedModels.AsNoTracking().OrderBy(m => m.Number).Select(m => new { m.Number, m.Status }).ToListAsync(Ct);
            Assert.Equal([(1, ModelStatus.Active), (2, ModelStatus.Candidate)], rows.Select(r => (r.Number, r.Status)));
            Assert.Equal("reached SQL within 90 days of becoming an Inquiry", (await Models.FindAsync(db, 2, Ct))!.Target.Sentence);
        }

        // Past this week's moment (11:00 UTC), the next run is due: again exactly one.
        clock.Advance(TimeSpan.FromHours(2));
        var second = await Task.WhenAll(Pass(a), Pass(b));
        Assert.Equal(3, Assert.Single(second, m => m is not null)!.Number);
        await using (var db = store.Open(clock))
            Assert.Equal(1, (await Models.ActiveAsync(db, Ct))!.Number);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_claim_whose_host_died_is_taken_over_by_exactly_one_host_once_its_lease_runs_out(string provider)
    {
        var (store, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var owned = store;
        var clock = new FakeTimeProvider(DemoFixture.Now);
        void Settings(WebApplicationBuilder b) => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Learning:RetrainEvery"] = "Monday 06:00", ["Plan:TimeZone"] = "America/New_York", ["Learning:RunInBackground"] = "false",
            ["Sla:RunInBackground"] = "false", ["Webhooks:RunInBackground"] = "false",
        });
        await using var a = await TestApp.StartOnAsync(store, clock, configure: Settings);
        await using var b = await TestApp.StartOnAsync(store, clock, configure: Settings);
        Task<LearnedModel?> Pass(TestApp app) => Task.Run(() => app.App.Services.GetRequiredService<RetrainRunner>().RunOnceAsync(Ct), Ct);

        // A third host claimed last week's run (due 26 October) as model #2 and died before it finished: the row stays Training.
        async Task<int> DeadClaimAsync(int number)
        {
            await using var db = store.Open(clock);
            var row = new LearnedModel
            {
                Number = number, Status = ModelStatus.Training, HorizonDays = 90, Trainer = "", TrainedAt = clock.GetUtcNow().UtcDateTime,
                TrainedBy = RetrainRunner.Actor, Features = "{}", Report = "", Model = [],
            };
            db.LearnedModels.Add(row);
            await db.SaveChangesAsync(Ct);
            return row.Id;
        }
        var deadId = await DeadClaimAsync(2);
        // The dead host's context, holding the row as it claimed it: what it would write if it woke up later.
        await using var dead = store.Open(clock);
        var deadRow = await dead.LearnedModels.FirstAsync(m => m.Id == deadId, Ct);

        // While the lease holds, the claim stands: nobody trains.
        clock.Advance(RetrainRunner.Lease - TimeSpan.FromSeconds(1));
        Assert.All(await Task.WhenAll(Pass(a), Pass(b)), Assert.Null);

        // Once it runs out, of four racing passes exactly one takes the row over and fills it: the same number, no new row.
        clock.Advance(TimeSpan.FromSeconds(2));
        var raced = await Task.WhenAll(Pass(a), Pass(b), Pass(a), Pass(b));
        var trained = Assert.Single(raced, m => m is not null)!;
        Assert.True(trained.Status == ModelStatus.Candidate, trained.Report);
        Assert.Equal((deadId, 2), (trained.Id, trained.Number));
        Assert.All(await Task.WhenAll(Pass(a), Pass(b)), Assert.Null);
        await using (var db = store.Open(clock))
        {
            var rows = await db.LearnedModels.AsNoTracking().OrderBy(m => m.Number).Select(m => new { m.Number, m.Status }).ToListAsync(Ct);
            Assert.Equal([(1, ModelStatus.Active), (2, ModelStatus.Candidate)], rows.Select(r => (r.Number, r.Status)));
        }

        // The dead host waking up cannot overwrite what the host that took over stored: its claim's Version is gone.
        deadRow.Status = ModelStatus.Refused;
        deadRow.Report = "late";
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => dead.SaveChangesAsync(Ct));

        // A stale claim of an earlier week is not trained any more: it is marked Refused, and this week's run gets a new row.
        await DeadClaimAsync(3);
        clock.Advance(TimeSpan.FromHours(2)); // past this week's moment (11:00 UTC), and past the lease of #3
        var week = Assert.Single(await Task.WhenAll(Pass(a), Pass(b)), m => m is not null)!;
        Assert.Equal((4, ModelStatus.Candidate), (week.Number, week.Status));
        await using (var db = store.Open(clock))
        {
            var refused = await db.LearnedModels.AsNoTracking().FirstAsync(m => m.Number == 3, Ct);
            Assert.Equal(ModelStatus.Refused, refused.Status);
            Assert.Contains("stopped before it finished", refused.Report);
        }
    }

    [Fact]
    public void The_schedule_reads_a_weekday_and_a_time_and_finds_the_run_due_in_the_company_zone()
    {
        var s = RetrainSchedule.Parse("monday 6:00")!;
        Assert.Equal(new RetrainSchedule(IsoDayOfWeek.Monday, new LocalTime(6, 0)), s);
        Assert.Null(RetrainSchedule.Parse("Mo 06:00"));
        Assert.Null(RetrainSchedule.Parse("Monday"));
        Assert.Null(RetrainSchedule.Parse("Monday 25:00"));
        Assert.Equal("Learning:RetrainEvery: 'weekly' is not a weekday and a time such as \"Monday 06:00\".",
            new LearningOptions { RetrainEvery = "weekly" }.Problem());
        Assert.Null(new LearningOptions().Problem());

        var ny = DateTimeZoneProviders.Tzdb["America/New_York"];
        // Monday 2 Nov 2026 09:30 UTC is 04:30 in New York: the due run is the previous Monday's, 06:00 EDT = 10:00 UTC.
        Assert.Equal(new DateTime(2026, 10, 26, 10, 0, 0, DateTimeKind.Utc), s.LatestAtOrBefore(new DateTime(2026, 11, 2, 9, 30, 0), ny));
        // At 11:00 UTC (06:00 EST, after the clocks went back) this Monday's is due.
        Assert.Equal(new DateTime(2026, 11, 2, 11, 0, 0, DateTimeKind.Utc), s.LatestAtOrBefore(new DateTime(2026, 11, 2, 11, 0, 0), ny));
        // On a Thursday, the Monday of the same week.
        Assert.Equal(new DateTime(2026, 11, 2, 11, 0, 0, DateTimeKind.Utc), s.LatestAtOrBefore(new DateTime(2026, 11, 5, 12, 0, 0), ny));
    }
}
