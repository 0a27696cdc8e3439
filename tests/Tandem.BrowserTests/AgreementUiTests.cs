using System.Text.RegularExpressions;
using Tandem.Data;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>The lead definition's life through the real pages: draft, edit, diff, approval by both sides, and the score on a person's page.</summary>
public class AgreementUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Marketing_drafts_a_lower_threshold_sees_the_diff_and_a_sales_manager_approves_it()
    {
        var marketing = await app.NewPageAsync(Role.Marketing);
        var manager = await app.NewPageAsync(Role.SalesManager);

        // A new install: the first draft is the starter definition, approved by both sides.
        await marketing.GotoAsync("/");
        await marketing.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Agreement" }).ClickAsync();
        await Expect(marketing.GetByRole(AriaRole.Heading, new() { Name = "No definition is active yet" })).ToBeVisibleAsync();
        await marketing.GetByRole(AriaRole.Button, new() { Name = "New draft (starter definition)" }).ClickAsync();
        await Expect(marketing).ToHaveURLAsync(new Regex("/agreement/1/edit\\?created=1$"));
        await marketing.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(marketing).ToHaveURLAsync(new Regex("/agreement/1\\?saved=1$"));
        await marketing.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Approve version") }).ClickAsync();
        await Expect(marketing.Locator("[data-side=marketing]")).ToHaveTextAsync($"Approved by {AppFixture.MarketingName}");
        await manager.GotoAsync("/agreement/1");
        await manager.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Approve version") }).ClickAsync();
        await Expect(manager.Locator("p.notice")).ToContainTextAsync("v1 is now the active definition");

        // The change: a lower threshold, made in the simple editor.
        await marketing.GotoAsync("/agreement");
        await Expect(marketing.Locator(".active-definition .plain-summary")).ToContainTextAsync("Fit B or better, and score 60 or more");
        await AppFixture.ScreenshotAsync(marketing, "agreement");
        await marketing.GetByRole(AriaRole.Button, new() { Name = "New draft from v1" }).ClickAsync();
        await Expect(marketing).ToHaveURLAsync(new Regex("/agreement/2/edit\\?created=1$"));
        await marketing.GetByLabel("Engagement threshold (score)").FillAsync("45");
        await marketing.GetByLabel("Note: what this version changes and why").FillAsync("More MQLs for the new SDR team");
        await AppFixture.ScreenshotAsync(marketing, "agreement-edit");
        await marketing.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        await Expect(marketing).ToHaveURLAsync(new Regex("/agreement/2\\?saved=1$"));
        await Expect(marketing.Locator(".plain-summary")).ToContainTextAsync("score 45 or more");
        var diff = marketing.Locator("table.diff-table");
        await Expect(diff.Locator("tr.diff-removed")).ToContainTextAsync("Fit B or better and score 60 or more");
        await Expect(diff.Locator("tr.diff-added")).ToContainTextAsync("Fit B or better and score 45 or more");
        await Expect(marketing.Locator("#whatif")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(marketing, "agreement-draft");

        // Bad input comes back beside its field, and nothing is saved.
        await marketing.GotoAsync("/agreement/2/edit");
        await marketing.GetByLabel("Engagement threshold (score)").FillAsync("0");
        await marketing.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(marketing.Locator(".field-error").First).ToContainTextAsync("The engagement threshold must be between 1");
        await AppFixture.ScreenshotAsync(marketing, "agreement-edit-error");

        // Both sides approve the exact content; the second approval activates it.
        await manager.GotoAsync("/agreement/2");
        await manager.GetByLabel("Comment").FillAsync("My team can follow up 20 % more.");
        await manager.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Approve version") }).ClickAsync();
        await Expect(manager.Locator("p.notice")).ToHaveTextAsync("Your approval is recorded.");
        await Expect(manager.Locator("[data-side=sales]")).ToHaveTextAsync($"Approved by {AppFixture.ManagerName}");
        await Expect(manager.Locator("table.reviews-table")).ToContainTextAsync("My team can follow up 20 % more.");
        await marketing.GotoAsync("/agreement/2");
        await marketing.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Approve version") }).ClickAsync();
        await Expect(marketing.Locator("p.notice")).ToContainTextAsync("v2 is now the active definition");

        await marketing.GotoAsync("/agreement");
        await Expect(marketing.Locator(".active-definition h2")).ToContainTextAsync("v2");
        await Expect(marketing.Locator("table.history-table tr[data-number='1']")).ToContainTextAsync("Retired");
        await Expect(marketing.Locator("table.history-table tr[data-number='2']"))
            .ToContainTextAsync($"{AppFixture.MarketingName} (marketing) and {AppFixture.ManagerName} (sales)");
        await AppFixture.ScreenshotAsync(marketing, "agreement-history");
        await marketing.Context.CloseAsync();
        await manager.Context.CloseAsync();

        // Anyone who reads people sees a person's grade and score, rule by rule, under the version now active.
        var rep = await app.NewPageAsync(Role.SalesRep);
        await rep.GotoAsync("/people?q=grace");
        await rep.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" }).ClickAsync();
        var score = rep.Locator("section.person-score");
        await Expect(score.GetByRole(AriaRole.Heading, new() { Name = "Score and grade" })).ToContainTextAsync("under v2");
        await Expect(score.Locator("table.fit-lines")).ToContainTextAsync("Buyer persona title");
        await Expect(score.Locator("table.score-rules")).ToContainTextAsync("Demo request");
        await Expect(score.GetByTestId("score-verdict")).ToContainTextAsync("v2");
        await AppFixture.ScreenshotAsync(rep, "person-score");
        await rep.Context.CloseAsync();
    }
}
