using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Cadence;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>The weekly sync in the meeting: this week's page, a question heard and an action raised, then the records that
/// carry them (the demo company at Monday 2026-11-02, ISO week 2026-W45, with its eight past records).</summary>
public class CadenceUiTests(DemoAppFixture app) : IClassFixture<DemoAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_question_and_an_action_added_in_this_weeks_meeting_are_carried_into_the_next_records()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        await page.GotoAsync("/");
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Cadence" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sync$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Weekly sync 2026-W45");
        await Expect(page.GetByTestId("record-state")).ToContainTextAsync("Live");
        await Expect(page.GetByTestId("scorecard").Locator("tbody tr")).ToHaveCountAsync(8);
        await Expect(page.GetByTestId("changes")).ToContainTextAsync("What changed since 2026-W44");
        await AppFixture.ScreenshotAsync(page, "sync-1280");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "sync-390");
        await page.SetViewportSizeAsync(1280, 860);

        // In the meeting: a question heard from a customer, and an action assigned to a rep.
        var note = page.GetByTestId("note-form");
        await note.Locator("select[name=kind]").SelectOptionAsync("Question");
        await note.Locator("textarea[name=text]").FillAsync("Can the weekly report go to Slack? <b>asap</b>");
        await note.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByTestId("form-done")).ToContainTextAsync("Question heard added");
        await Expect(page.GetByTestId("heard")).ToContainTextAsync("Can the weekly report go to Slack? <b>asap</b>");
        var action = page.GetByTestId("action-form");
        await action.Locator("input[name=title]").FillAsync("Ask product about a Slack digest");
        await action.Locator("select[name=ownerId]").SelectOptionAsync(new SelectOptionValue { Label = AppFixture.RepName });
        await action.Locator("input[name=dueOn]").FillAsync("2026-11-06");
        await action.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByTestId("new-actions")).ToContainTextAsync($"Ask product about a Slack digest — {AppFixture.RepName}");
        await AppFixture.ScreenshotAsync(page, "sync-meeting");

        // The week ends; the job writes W45, and a week later W46.
        var clock = (FakeTimeProvider)app.Services.GetRequiredService<TimeProvider>();
        var runner = app.Services.GetRequiredService<CadenceRunner>();
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 9, 8, 0, 0, TimeSpan.Zero));
        await runner.RunOnceAsync(Ct);
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 16, 8, 0, 0, TimeSpan.Zero));
        await runner.RunOnceAsync(Ct);

        // Two weeks on, the sign-in has expired: sign in again, which leads back to the record.
        await page.GotoAsync("/sync/2026-W45");
        await page.GetByLabel("Email").FillAsync(AppFixture.MarketingEmail);
        await page.GetByLabel("Password").FillAsync(AppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sync/2026-W45$"));
        await Expect(page.GetByTestId("record-state")).ToContainTextAsync("Written · revision 1");
        await Expect(page.GetByTestId("heard")).ToContainTextAsync("Can the weekly report go to Slack? <b>asap</b>");
        await Expect(page.GetByTestId("new-actions")).ToContainTextAsync("Ask product about a Slack digest");
        await page.GetByTestId("next-week").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sync/2026-W46$"));
        await Expect(page.GetByTestId("carried")).ToContainTextAsync("Ask product about a Slack digest");
        await Expect(page.GetByTestId("carried")).ToContainTextAsync("raised 2026-W45");
        await AppFixture.ScreenshotAsync(page, "sync-next-week");

        // Drill into a number of a past week: the MQL count opens its people.
        await page.GotoAsync("/sync/2026-W44");
        var mqls = page.GetByTestId("scorecard").Locator("tbody tr").First.Locator("td.num a");
        var count = int.Parse((await mqls.TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        await mqls.ClickAsync();
        await Expect(page.GetByTestId("kpi-records").Locator("li")).ToHaveCountAsync(count);
        await page.Context.CloseAsync();
    }
}
