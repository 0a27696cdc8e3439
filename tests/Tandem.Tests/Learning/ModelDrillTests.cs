using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Learning;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Learning;

/// <summary>The model report's numbers open the people behind them, and the unit economics follow settings changed while the
/// server runs.</summary>
public class ModelDrillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Deciles_calibration_bins_and_precision_at_K_open_exactly_the_people_they_count(string provider)
    {
        var (store, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var app = await TestApp.StartOnAsync(store, new FakeTimeProvider(DemoFixture.Now), ownsDb: true);
        LearnReport r;
        await using (var db = store.Open(app.Clock)) r = (await Models.FindAsync(db, 1, Ct))!.Parsed();

        async Task<ModelDrillPage> All(string cell)
        {
            var first = await app.GetAsync<ModelDrillPage>($"/api/learning/models/1/people?{cell}");
            var items = first.Items.ToList();
            for (var page = 2; (page - 1) * first.PageSize < first.Total; page++)
                items.AddRange((await app.GetAsync<ModelDrillPage>($"/api/learning/models/1/people?{cell}&page={page}")).Items);
            return first with { Items = items };
        }
        foreach (var d in r.Deciles.Where(d => d.Number is 1 or 10))
        {
            var people = await All($"set=decile&n={d.Number}");
            Assert.Equal(d.Count, people.Total);
            Assert.Equal(d.Count, people.Items.Select(i => i.PersonId).Distinct().Count());
            Assert.Equal(d.Positives, people.Items.Count(i => i.Outcome));
            Assert.Equal(people.Items.OrderByDescending(i => i.Probability).Select(i => i.Probability), people.Items.Select(i => i.Probability));
            Assert.Equal(d.Positives, (await app.GetAsync<ModelDrillPage>($"/api/learning/models/1/people?set=decile&n={d.Number}&outcome=positive")).Total);
        }
        // Decile 1 holds the best scores: everyone in it scores at least as high as anyone in decile 10.
        Assert.True((await All("set=decile&n=1")).Items.Min(i => i.Probability) >= (await All("set=decile&n=10")).Items.Max(i => i.Probability));
        foreach (var (b, bin) in r.Calibration.Select((b, i) => (b, i)).Where(x => x.b.Count > 0))
        {
            var people = await All($"set=bin&n={bin}");
            Assert.Equal(b.Count, people.Total);
            Assert.All(people.Items, i => Assert.InRange(i.Probability, b.From - 1e-4, b.To + 1e-4));
            Assert.Equal(b.Observed, people.Items.Count(i => i.Outcome) / (double)b.Count, 6);
        }
        var top = await All("set=top");
        Assert.Equal(r.K, top.Total);
        Assert.Equal(r.PrecisionAtK, top.Items.Count(i => i.Outcome) / (double)r.K, 6);

        // Bad input names the field; an unknown model is a 404 naming the version.
        await Problem.AssertFieldAsync(await app.Client.GetAsync("/api/learning/models/1/people?set=decile&n=11", Ct), "n");
        await Problem.AssertFieldAsync(await app.Client.GetAsync("/api/learning/models/1/people?set=best", Ct), "set");
        await Problem.AssertFieldAsync(await app.Client.GetAsync("/api/learning/models/1/people?set=top&outcome=maybe", Ct), "outcome");
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/learning/models/99/people?set=top", Ct)).StatusCode);

        // The page: the report's numbers are links, and the list names people and opens their pages.
        var (_, browser) = await app.SignInAsNewAsync(Role.Viewer);
        using var _b = browser;
        var report = await browser.Client.GetStringAsync("/learning/1", Ct);
        Assert.Contains("href=\"/learning/1/people?set=decile&amp;n=1\"", report);
        Assert.Contains("href=\"/learning/1/people?set=top&amp;outcome=positive\"", report);
        var list = await browser.Client.GetStringAsync("/learning/1/people?set=decile&n=1", Ct);
        Assert.Contains("decile 1 of the test set (the best scores)", list);
        Assert.Equal(Math.Min(ModelDrill.PageSize, r.Deciles[0].Count), list.Split("data-testid=\"drill-person\"").Length - 1);
        var firstPerson = (await All("set=decile&n=1")).Items[0];
        Assert.Contains($"href=\"/people/{firstPerson.PersonId}\"", list);
        Assert.Contains("This address names no figure", await browser.Client.GetStringAsync("/learning/1/people?set=nothing", Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Economics_settings_changed_while_the_server_runs_show_on_the_next_request(string provider)
    {
        var (store, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var app = await TestApp.StartOnAsync(store, new FakeTimeProvider(DemoFixture.Now), ownsDb: true,
            configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Learning:Economics:Margin"] = "1" }));
        var before = await app.GetAsync<InsightTable>("/api/insight/economics");
        var ltv = Assert.Single(before.Rows)[before, "ltv"]!.Value;

        // As when appsettings.json is edited: the configuration reloads, and the next report reads the new margin.
        var config = (IConfigurationRoot)app.App.Services.GetRequiredService<IConfiguration>();
        config["Learning:Economics:Margin"] = "0.5";
        config["Learning:Economics:MinPeople"] = "100000";
        config.Reload();
        var after = await app.GetAsync<InsightTable>("/api/insight/economics");
        var row = Assert.Single(after.Rows);
        Assert.Equal(ltv / 2, row[after, "ltv"]!.Value, 1);
        Assert.Equal("noisy", row.Keys[1]);
        Assert.Contains(after.Notes, n => n.Contains("margin 0.5", StringComparison.Ordinal));

        var (_, browser) = await app.SignInAsNewAsync(Role.Viewer);
        using var _b = browser;
        var page = await browser.Client.GetStringAsync("/learning/economics", Ct);
        Assert.Contains("margin 0.5", page);
        Assert.Contains("fewer than 100000 people", page);
    }
}
