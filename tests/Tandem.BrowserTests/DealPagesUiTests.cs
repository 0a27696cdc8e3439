using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>
/// A marketer follows a number on Win/loss to the deals behind it and opens one: the opportunity page, not JSON, with
/// the amount in the deal's currency, its owner and the people involved; from there the account page.
/// </summary>
public class DealPagesUiTests(DemoAppFixture app) : IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task A_marketer_opens_an_opportunity_from_a_drill_down_and_sees_its_amount_and_people()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        await page.GotoAsync("/insight/win-loss");
        // A "Won" count opens the won deals behind it (found by its drill address, whatever the column order).
        var wonHref = await page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll(\"table.insight-table[data-report='deals'] td.num a\")].map(a => a.getAttribute('href')).find(h => /[?&]cell=won(&|$)/.test(h))");
        Assert.False(string.IsNullOrEmpty(wonHref), "Win/loss has a won count to open");
        await page.Locator($"a[href='{wonHref}']").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/insight/drill/deals\\?"));
        var first = page.Locator("table.data tbody tr").First.Locator("a.row-link");
        await Expect(first).ToHaveAttributeAsync("href", new Regex("^/opportunities/\\d+$"));
        var href = (await first.GetAttributeAsync("href"))!;
        await first.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(href) + "$"));

        var id = int.Parse(href.Split('/').Last());
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var deal = await db.Opportunities.AsNoTracking().FirstAsync(o => o.Id == id, TestContext.Current.CancellationToken);
        var primary = await db.People.AsNoTracking().FirstAsync(p => p.Id == deal.PrimaryPersonId, TestContext.Current.CancellationToken);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = deal.Name })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("amount")).ToHaveTextAsync(Tandem.Components.Text.Money(deal.AmountMinor, deal.Currency));
        await Expect(page.GetByTestId("amount")).ToHaveTextAsync(new Regex(@"^\D+[\d,]+(\.\d\d)?$"));
        await Expect(page.GetByTestId("outcome")).ToHaveTextAsync("Won");
        await Expect(page.GetByTestId("deal-people").GetByRole(AriaRole.Link, new() { Name = primary.DisplayName })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("deal-stages")).ToContainTextAsync("by ");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("user:");
        await AppFixture.ScreenshotAsync(page, "opportunity-1280");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the opportunity page fits 1280 px");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "opportunity-390");
        await page.SetViewportSizeAsync(1280, 860);

        // The person's name opens their page; the account link opens the account with this deal on it.
        await page.Locator("nav.crumbs a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/accounts/\\d+$"));
        await Expect(page.GetByTestId("account-deals").Locator($"a[href='{href}']")).ToHaveTextAsync(deal.Name);
        await Expect(page.GetByTestId("score-rollup")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("timeline")).Not.ToContainTextAsync("{");
        await AppFixture.ScreenshotAsync(page, "account-1280");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "account-390");
        await page.Context.CloseAsync();
    }
}
