using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Import;
using Tandem.Features.Stats;

namespace Tandem.Tests.Import;

/// <summary>
/// Imports the real maven-crm export through the shipped mapping files (samples/maven-crm) and checks the
/// figures computed independently in the datasets README.
/// </summary>
public class MavenDatasetTests
{
    public const string DatasetsEnv = "TANDEM_DATASETS";

    private static string MavenDir()
    {
        var root = Environment.GetEnvironmentVariable(DatasetsEnv);
        if (string.IsNullOrWhiteSpace(root))
            Assert.Skip($"{DatasetsEnv} is not set; point it at the shared datasets folder (e.g. ../shared/datasets) to run the maven-crm import test.");
        var dir = Path.Combine(Path.GetFullPath(root), "maven-crm");
        Assert.True(Directory.Exists(dir), $"{DatasetsEnv} is set but {dir} does not exist.");
        return dir;
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Maven_crm_imported_with_the_shipped_mappings_gives_the_reference_figures(string provider)
    {
        var data = MavenDir();
        var maps = Samples.Folder("maven-crm");
        await using var h = await ImportHarness.CreateAsync(provider);
        // The same order as samples/maven-crm/import.sh.
        foreach (var (entity, file, map) in new[]
                 {
                     (ImportEntity.Accounts, "accounts.csv", "accounts.json"),
                     (ImportEntity.Users, "sales_teams.csv", "users-managers.json"),
                     (ImportEntity.Users, "sales_teams.csv", "users.json"),
                     (ImportEntity.Opportunities, "sales_pipeline.csv", "opportunities.json"),
                 })
        {
            var r = await h.ImportAsync(entity, Path.Combine(data, file), File.ReadAllText(Path.Combine(maps, map)));
            Assert.True(r.Committed, $"{file} with {map}: " + string.Join('\n', r.Errors));
        }

        await using var db = h.Open();
        var o = (await FunnelStats.LoadAsync(db, TestContext.Current.CancellationToken)).Opportunities;
        Assert.Equal((4238, 2473, 2089), (o.Won, o.Lost, o.Open));
        Assert.Equal(0.6315m, o.WinRate);
        Assert.Equal(10_005_534m, o.WonAmount);
        Assert.Equal(2360.91m, o.MeanWonAmount);
        Assert.Equal((51.78, 57.0), (o.MeanWonCycleDays, o.MedianWonCycleDays));
        Assert.Equal((41.48, 14.0), (o.MeanLostCycleDays, o.MedianLostCycleDays));

        // The quirks: fixed spellings, open deals without an account, and no invented dates.
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, await db.Accounts.CountAsync(a => a.Industry == "technolgy", ct));
        Assert.Equal(0, await db.CustomProperties.CountAsync(p => p.Name == "product" && p.Value == "GTXPro", ct));
        Assert.Equal(1425, await db.Opportunities.CountAsync(x => x.AccountId == null && x.Outcome == Outcome.Open, ct));
        Assert.Equal(500, await db.Opportunities.CountAsync(x => x.SalesStage == "Prospecting" && x.CreatedAt == null, ct));
        Assert.Equal(41, await db.Users.CountAsync(ct));
        Assert.Equal(5, await db.Users.CountAsync(u => u.Role == Role.SalesRep && !db.Opportunities.Any(x => x.OwnerId == u.Id), ct));
    }
}
