using System.Text.RegularExpressions;
using Tandem.Data;
using Tandem.Features.Demo;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>The demo company (3,000 people) at 2026-11-02: it ships an approved plan for 2026-Q4 and quarter-start snapshots.</summary>
public sealed class DemoAppFixture : AppFixture
{
    protected override DateTimeOffset Now => new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    protected override async Task SeedAsync(TandemDb db, CancellationToken ct) => await DemoGenerator.RunAsync(db, new DemoOptions(3_000, 7), ct: ct);
}

/// <summary>The CEO/CFO page: the target, bookings, P(hit), plan against actual with drill-down, the flow and the backtest.</summary>
public class RevenueUiTests(DemoAppFixture app) : IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task The_revenue_page_shows_the_number_and_every_figure_opens_its_records()
    {
        var page = await app.NewPageAsync(Role.Admin);
        // The admin's home is the Revenue page.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/revenue$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revenue, 2026-Q4" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("phit")).ToHaveTextAsync(new Regex(@"^\d{1,3}\.\d %$"));
        var pacing = page.GetByTestId("pacing");
        await Expect(pacing.Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(page.GetByTestId("accuracy")).ToContainTextAsync("Weighted pipeline");
        await Expect(page.GetByTestId("flow")).ToContainTextAsync("open now");
        await AppFixture.ScreenshotAsync(page, "revenue-1280");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "revenue-390");
        await page.SetViewportSizeAsync(1280, 860);

        // The SQL count opens exactly that many people.
        var sqls = pacing.Locator("tr[data-stage='SQL'] td.num a");
        var count = int.Parse((await sqls.TextContentAsync())!.Replace(",", ""));
        Assert.True(count > 0);
        await sqls.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/revenue/plans/1/records\\?stage=SQL"));
        await Expect(page.Locator(".table-meta")).ToContainTextAsync($"{count:N0} record");
        await Expect(page.GetByTestId("records").Locator("tbody tr")).ToHaveCountAsync(Math.Min(count, 500));
        await AppFixture.ScreenshotAsync(page, "revenue-records");

        // The plan behind the target shows its rates with their samples.
        await page.GotoAsync("/revenue/plans/1");
        await Expect(page.GetByTestId("rates")).ToContainTextAsync("n ");
        await AppFixture.ScreenshotAsync(page, "revenue-plan");

        // The flow's "won" opens the deals won since the quarter's start.
        await page.GotoAsync("/revenue");
        await page.GetByTestId("flow").GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"\d+ won") }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/revenue/snapshots/\\d+\\?fate=Won"));
        await Expect(page.GetByTestId("reps")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "revenue-snapshot");
        await page.Context.CloseAsync();

        // A sales rep's home stays the funnel.
        var rep = await app.NewPageAsync(Role.SalesRep);
        await rep.GotoAsync("/");
        await Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Funnel" })).ToBeVisibleAsync();
        await rep.Context.CloseAsync();
    }
}
