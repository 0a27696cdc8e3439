using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>Drives Debian's Chromium through the three working pages against a running server.</summary>
public class UiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Funnel_page_shows_people_entering_each_stage_this_quarter_and_last()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/funnel");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Funnel", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("thead").First).ToContainTextAsync("Q2 2026");
        await Expect(page.Locator("thead").First).ToContainTextAsync("Q1 2026");
        await ExpectCounts(page, "Inquiry", "18", "12");
        await ExpectCounts(page, "MQL", "7", "3");
        await ExpectCounts(page, "SAL", "1", "0");
        await ExpectCounts(page, "Disqualified", "1", "0");
        await Expect(page.Locator("tr[data-step='Inquiry-MQL'] .ratio").First).ToHaveTextAsync("38.9 %"); // 7 / 18
        await AppFixture.ScreenshotAsync(page, "funnel");

        // A count drills down to exactly the people behind it.
        await page.Locator("tr[data-stage='MQL'] .bar-count").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/people\\?stage=MQL&entered=2026-Q2$"));
        await Expect(page.Locator(".total")).ToHaveTextAsync("7 people");
        await AppFixture.ScreenshotAsync(page, "people-drilldown");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task People_search_finds_a_seeded_person_and_paging_moves_through_everyone()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/people?pageSize=10");
        await Expect(page.Locator(".total")).ToHaveTextAsync($"{SeedData.People} people");
        await Expect(page.Locator(".page-info").First).ToHaveTextAsync("Page 1 of 3");
        await Expect(page.Locator("table.people-table tbody tr")).ToHaveCountAsync(10);
        var firstOnPage1 = await page.Locator("table.people-table tbody tr td a").First.TextContentAsync();
        await AppFixture.ScreenshotAsync(page, "people");

        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).First.ClickAsync();
        await Expect(page.Locator(".page-info").First).ToHaveTextAsync("Page 2 of 3");
        await Expect(page.Locator("table.people-table tbody tr")).ToHaveCountAsync(10);
        await Expect(page.Locator("table.people-table tbody tr td a").First).Not.ToHaveTextAsync(firstOnPage1!);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).First.ClickAsync();
        await Expect(page.Locator(".page-info").First).ToHaveTextAsync("Page 3 of 3");
        await Expect(page.Locator("table.people-table tbody tr")).ToHaveCountAsync(10);

        await page.GetByRole(AriaRole.Searchbox).FillAsync("hopper");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator(".total")).ToHaveTextAsync("1 person");
        var row = page.Locator("table.people-table tbody tr");
        await Expect(row).ToContainTextAsync("Grace Hopper");
        await Expect(row).ToContainTextAsync(SeedData.GraceEmail);
        await Expect(row).ToContainTextAsync("Acme Robotics");
        await Expect(row).ToContainTextAsync("SAL");
        await Expect(row).ToContainTextAsync("Dana Reyes");

        // Filtered by owner with the form: Dana's people only, and the list fits a 1280 px screen.
        await page.GotoAsync("/people");
        await page.GetByLabel("Owner").SelectOptionAsync(new SelectOptionValue { Label = "Dana Reyes" });
        await page.GetByLabel("Sort").SelectOptionAsync(new SelectOptionValue { Label = "Name, A to Z" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("owner=\\d+.*sort=name"));
        var owners = await page.Locator("table.people-table tbody tr td:last-child").AllTextContentsAsync();
        Assert.NotEmpty(owners);
        Assert.All(owners, o => Assert.Equal("Dana Reyes", o.Trim()));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the people list is wider than 1280 px");
        await AppFixture.ScreenshotAsync(page, "people-by-owner");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Clicking_a_person_shows_their_details_and_timeline()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/people?q=grace");
        await page.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Grace Hopper" })).ToBeVisibleAsync();
        var details = page.Locator("dl.details").First;
        foreach (var text in new[] { SeedData.GraceEmail, "VP Engineering", "+1 555 0100", "Acme Robotics", "Webinar", "Spring webinar", "Dana Reyes" })
            await Expect(details).ToContainTextAsync(text);
        await Expect(page.Locator("dl.props")).ToContainTextAsync("Enterprise");

        await Expect(page.Locator(".tl-touch").Filter(new() { HasText = "Demo Request via Paid Search" })).ToHaveCountAsync(1);
        await Expect(page.Locator(".tl-touch").Filter(new() { HasText = "Spring webinar" })).ToHaveCountAsync(1);
        // Stage moves read as sentences (decision 0083).
        await Expect(page.Locator(".tl-stage").Filter(new() { HasText = "moved from MQL to SAL" })).ToHaveCountAsync(1);
        await Expect(page.Locator(".tl-stage").Filter(new() { HasText = "entered as an Inquiry" })).ToHaveCountAsync(1);
        await AppFixture.ScreenshotAsync(page, "person");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_unknown_person_is_a_404_page()
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync("/people/999999");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "not-found");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/soon/teleportation")]
    public async Task An_unknown_address_is_a_404_page_inside_the_app(string path)
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync(path);
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(page.Locator("nav.sidebar")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_capability_in_the_sidebar_opens_its_page_and_none_is_left_as_coming_soon()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        Assert.All(Tandem.Components.Capability.Planned, c => Assert.True(c.IsAvailable, $"{c.Name} is still planned"));
        await Expect(page.Locator("nav.sidebar")).Not.ToContainTextAsync("Coming soon");
        foreach (var c in Tandem.Components.Capability.Planned.Where(c => c.Slug != "insight")) // Insight has its own section of links
        {
            await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = c.Name, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(c.Href!) + "([/?#].*)?$"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).Not.ToContainTextAsync("coming soon");
        }
        await page.Context.CloseAsync();
    }

    private static async Task ExpectCounts(IPage page, string stage, string thisQuarter, string lastQuarter) =>
        await Expect(page.Locator($"tr[data-stage='{stage}'] .bar-count")).ToHaveTextAsync([thisQuarter, lastQuarter]);
}
