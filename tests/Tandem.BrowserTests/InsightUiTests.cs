using System.Text.RegularExpressions;
using Tandem.Data;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>
/// A marketing user on the Insight funnel page over the seeded funnel (SeedData: 30 people, 10 of them MQL at some
/// point, Grace Hopper the only one sourced by a webinar): from a bar of the chart and from a table number down to
/// the people behind it.
/// </summary>
public class InsightUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_funnel_page_drills_from_a_bar_and_from_a_table_number_to_the_people()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        await page.GotoAsync("/");
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Conversion & velocity" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Funnel conversion and velocity" })).ToBeVisibleAsync();
        // Everyone entered at Inquiry; ten reached MQL (Grace and every third of the others).
        var table = page.Locator("table.insight-table[data-report='funnel']");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(table.Locator("tbody tr td.num").First).ToHaveTextAsync("30");
        await AppFixture.ScreenshotAsync(page, "insight-funnel");

        // The MQL bar of the waterfall is a link to those ten people.
        await page.Locator("svg.waterfall a").Nth(1).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/insight/drill/funnel\\?.*cell=reached%3AMQL"));
        await Expect(page.Locator(".total")).ToHaveTextAsync("10 records");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" })).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "insight-drill");

        // Split by channel with the form, then open the one webinar-sourced person from her cohort count.
        await page.GotoAsync("/insight");
        await page.GetByLabel("Split by").SelectOptionAsync("channel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("by=channel"));
        var webinar = page.Locator("table.insight-table[data-report='funnel'] tbody tr", new() { Has = page.Locator("td", new() { HasTextString = "Webinar" }) });
        await Expect(webinar.Locator("td.num a").First).ToHaveTextAsync("1");
        await webinar.Locator("td.num a").First.ClickAsync();
        await Expect(page.Locator(".total")).ToHaveTextAsync("1 record");
        await page.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/people/\\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Grace Hopper" })).ToBeVisibleAsync();

        // The numbers leave as CSV too.
        await page.GotoAsync("/insight?by=channel");
        var csv = await page.APIRequest.GetAsync(await page.Locator("a.csv-link").First.GetAttributeAsync("href") ?? "");
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("segment,cohort,", await csv.TextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Channels_attribution_and_win_loss_fit_the_screen_and_their_tables_sort()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        foreach (var (path, name) in new[] { ("/insight", "insight-funnel-1280"), ("/insight/channels", "insight-channels-1280"),
                     ("/insight/attribution", "insight-attribution-1280"), ("/insight/win-loss", "insight-win-loss-1280") })
        {
            await page.GotoAsync(path);
            // Nothing wider than the screen at 1280 px: wide tables scroll inside their card, not the page.
            var (scroll, width) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
            Assert.True(scroll <= width, $"{path}: the page is {scroll} px wide in a {width} px window");
            await AppFixture.ScreenshotAsync(page, name);
        }

        // The Channels table: key columns first, the totals at the foot, and a click on a header sorts the rows.
        await page.GotoAsync("/insight/channels");
        var table = page.Locator("table.insight-table[data-report='channels']").First;
        await Expect(table.Locator("thead th").Nth(2)).ToHaveTextAsync("Cost");
        await Expect(table.Locator("tfoot tr.totals th").First).ToHaveTextAsync("Total");
        var mqls = table.Locator("thead th", new() { HasTextString = "MQLs" });
        await mqls.ClickAsync();
        await Expect(mqls).ToHaveAttributeAsync("aria-sort", "ascending");
        var ascending = await table.Locator("tbody tr").EvaluateAllAsync<double[]>(
            "rows => rows.map(r => parseFloat(r.cells[3].getAttribute('data-value') || '-1'))");
        Assert.Equal(ascending.Order().ToArray(), ascending);
        await mqls.ClickAsync();
        await Expect(mqls).ToHaveAttributeAsync("aria-sort", "descending");
        var descending = await table.Locator("tbody tr").EvaluateAllAsync<double[]>(
            "rows => rows.map(r => parseFloat(r.cells[3].getAttribute('data-value') || '-1'))");
        Assert.Equal(ascending.Reverse().ToArray(), descending);

        await page.SetViewportSizeAsync(390, 844);
        foreach (var (path, name) in new[] { ("/insight/channels", "insight-channels-390"), ("/insight/win-loss", "insight-win-loss-390") })
        {
            await page.GotoAsync(path);
            await AppFixture.ScreenshotAsync(page, name);
        }
        await page.Context.CloseAsync();
    }
}
