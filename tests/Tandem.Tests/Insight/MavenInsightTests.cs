using System.Net.Http.Json;
using Tandem.Features.Import;
using Tandem.Features.Insight;
using Tandem.Tests.Import;

namespace Tandem.Tests.Insight;

/// <summary>
/// The maven-crm export imported with the shipped mappings, then read through the Insight API. Reference figures
/// come from the datasets README (win rate by regional office, won revenue by quarter) and, for products, from a
/// short independent script over sales_pipeline.csv (docs/guide/insight.md shows it).
/// </summary>
public class MavenInsightTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<TestApp> ImportedAsync(string provider)
    {
        var data = MavenDir();
        var app = await TestApp.StartAsync(provider);
        foreach (var (entity, file, map) in new[]
                 {
                     (ImportEntity.Accounts, "accounts.csv", "accounts.json"),
                     (ImportEntity.Users, "sales_teams.csv", "users-managers.json"),
                     (ImportEntity.Users, "sales_teams.csv", "users.json"),
                     (ImportEntity.Opportunities, "sales_pipeline.csv", "opportunities.json"),
                 })
        {
            await using var db = app.Db.Open(app.Clock);
            var r = await Importer.RunAsync(db, new ImportRequest(entity, Path.Combine(data, file),
                ImportMap.Parse(File.ReadAllText(Path.Combine(Tandem.Tests.Import.Samples.Folder("maven-crm"), map)), map), false, false), ct: Ct);
            Assert.True(r.Committed, $"{file}: " + string.Join('\n', r.Errors));
        }
        return app;
    }

    private static string MavenDir()
    {
        var root = Environment.GetEnvironmentVariable(MavenDatasetTests.DatasetsEnv);
        if (string.IsNullOrWhiteSpace(root))
            Assert.Skip($"{MavenDatasetTests.DatasetsEnv} is not set; point it at the shared datasets folder (e.g. ../shared/datasets) to run the maven-crm Insight tests.");
        var dir = Path.Combine(Path.GetFullPath(root), "maven-crm");
        Assert.True(Directory.Exists(dir), $"{MavenDatasetTests.DatasetsEnv} is set but {dir} does not exist.");
        return dir;
    }

    private static async Task<InsightTable> GetAsync(TestApp app, string url)
    {
        var res = await app.Client.GetAsync(url, Ct);
        Assert.True(res.IsSuccessStatusCode, $"{url}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync(Ct)}");
        return (await res.Content.ReadFromJsonAsync<InsightTable>(TestApp.Json, Ct))!;
    }

    private static double Value(InsightTable t, string column, params string[] keys)
    {
        var row = t.Row(keys);
        Assert.True(row is not null, $"no row {string.Join(" / ", keys)} in {t.Report}: {string.Join(", ", t.Rows.Select(r => string.Join('/', r.Keys)))}");
        return row.Values[t.IndexOf(column)] ?? double.NaN;
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Maven_crm_figures_by_office_quarter_and_product_match_the_references(string provider)
    {
        await using var app = await ImportedAsync(provider);

        // Win rate by regional office: the office is the sales agent's team (users.json maps regional_office to team).
        var offices = await GetAsync(app, "/api/insight/deals?by=team&basis=closed");
        foreach (var (office, rate, won, lost) in new[] { ("West", 63.94, 1438, 811), ("Central", 62.56, 1629, 975), ("East", 63.02, 1171, 687) })
        {
            Assert.Equal(rate, Math.Round(100 * Value(offices, "winRate", office, "USD"), 2));
            Assert.Equal((won, lost), ((int)Value(offices, "won", office, "USD"), (int)Value(offices, "lost", office, "USD")));
        }
        Assert.Equal(3, offices.Rows.Count);

        // Won revenue by close quarter of 2017.
        foreach (var (from, to, revenue) in new[]
                 {
                     ("2017-01-01", "2017-04-01", 1_134_672), ("2017-04-01", "2017-07-01", 3_086_111),
                     ("2017-07-01", "2017-10-01", 2_982_255), ("2017-10-01", "2018-01-01", 2_802_496),
                 })
        {
            var q = await GetAsync(app, $"/api/insight/deals?basis=closed&from={from}&to={to}");
            Assert.Equal(revenue, Value(q, "wonRevenue", "All", "USD"));
        }

        // Win rate and revenue by product: GTXPro in the pipeline is GTX Pro after the mapping's value map.
        var products = await GetAsync(app, "/api/insight/deals?by=property:product&basis=closed");
        foreach (var (product, won, lost, rate, revenue) in new[]
                 {
                     ("GTK 500", 15, 10, 60.00, 400_612), ("GTX Basic", 915, 521, 63.72, 499_263), ("GTX Plus Basic", 653, 398, 62.13, 705_275),
                     ("GTX Plus Pro", 479, 266, 64.30, 2_629_651), ("GTX Pro", 729, 418, 63.56, 3_510_578), ("MG Advanced", 654, 430, 60.33, 2_216_387),
                     ("MG Special", 793, 430, 64.84, 43_768),
                 })
        {
            Assert.Equal((won, lost), ((int)Value(products, "won", product, "USD"), (int)Value(products, "lost", product, "USD")));
            Assert.Equal(rate, Math.Round(100 * Value(products, "winRate", product, "USD"), 2));
            Assert.Equal(revenue, Value(products, "wonRevenue", product, "USD"));
        }
        Assert.DoesNotContain(products.Rows, r => r.Keys[0] == "GTXPro");
        Assert.Equal(7, products.Rows.Count);

        // The whole export, as in the README: 63.15 % and 10,005,534; cycle median 57 days for won deals.
        var all = await GetAsync(app, "/api/insight/deals");
        Assert.Equal(63.15, Math.Round(100 * Value(all, "winRate", "All", "USD"), 2));
        Assert.Equal(10_005_534, Value(all, "wonRevenue", "All", "USD"));
        Assert.Equal(57, Value(all, "cycleMedianDays", "All", "USD"));
        Assert.Equal(8800, Value(all, "opportunities", "All", "USD"));

        // Drill-down: the number opens the deals behind it.
        var westWon = offices.Row("West", "USD")!.Drill[offices.IndexOf("won")]!;
        var page = await app.Client.GetFromJsonAsync<DrillPage>(westWon, TestApp.Json, Ct);
        Assert.Equal(1438, page!.Total);
        Assert.All(page.Items, i => Assert.Equal("opportunity", i.Kind));
        Assert.All(page.Items, i => Assert.StartsWith("Won", i.Detail));
    }
}
