using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Tandem.Cli;
using Tandem.Data;
using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

public class PlanCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] Where(TestDb db) => db.Storage.Provider == DbProvider.Sqlite
        ? ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Storage.ConnectionString).DataSource)!]
        : ["--postgres", db.Storage.ConnectionString];

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_planner_drafts_overrides_approves_paces_and_snapshots_from_the_command_line(string provider)
    {
        await using var db = await TestDb.CreateAsync(provider);
        var at = Where(db);
        Assert.Equal(0, await CliApp.RunAsync(["demo", "--people", "2000", .. at]));
        await using (var ctx = db.Open())
        {
            // The demo ships this quarter's plan and the automatic snapshots of this quarter and the two before.
            Assert.Equal(PlanStatus.Approved, (await ctx.RevenuePlans.SingleAsync(Ct)).Status);
            Assert.Equal(3, await ctx.PipelineSnapshots.CountAsync(s => s.Kind == SnapshotKind.Auto, Ct));
        }
        var next = Period.Quarter(DateOnly.FromDateTime(DateTime.UtcNow)).Next().Label;

        Assert.Equal(2, await CliApp.RunAsync(["plan", "draft", "--period", next, "--target", "0", .. at]));
        Assert.Equal(2, await CliApp.RunAsync(["plan", "draft", "--period", next, "--target", "100", "--override", "no colon here", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["plan", "draft", "--period", next, "--target", "250000", "--override", "All:sql-won=0.3:new pricing", .. at]));
        string hash, marketing, sales;
        await using (var ctx = db.Open())
        {
            var draft = await ctx.RevenuePlans.SingleAsync(p => p.Number == 2, Ct);
            var rate = draft.Parsed().Lines.Single().Rates[3];
            Assert.Equal((0.3, "new pricing"), (rate.Value, rate.OverrideReason));
            hash = draft.ContentHash;
            marketing = (await ctx.Users.FirstAsync(u => u.Role == Role.Marketing, Ct)).Email;
            sales = (await ctx.Users.FirstAsync(u => u.Role == Role.SalesManager, Ct)).Email;
        }
        Assert.Equal(2, await CliApp.RunAsync(["plan", "approve", "2", "--as", marketing, "--hash", "0000", .. at])); // not the hash read
        Assert.Equal(0, await CliApp.RunAsync(["plan", "approve", "2", "--as", marketing, "--hash", hash, .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["plan", "approve", "2", "--as", sales, "--hash", hash, .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["plan", "diff", "1", "2", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["plan", "show", "2", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["plan", "pacing", "--json", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["snapshots", "take", "--note", "mid-quarter review", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["snapshots", "show", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["forecast", "--runs", "500", "--json", .. at]));
        await using (var ctx = db.Open())
        {
            Assert.Equal(PlanStatus.Approved, (await ctx.RevenuePlans.SingleAsync(p => p.Number == 2, Ct)).Status);
            Assert.Equal("mid-quarter review", (await ctx.PipelineSnapshots.SingleAsync(s => s.Kind == SnapshotKind.Manual, Ct)).Note);
        }
    }
}
