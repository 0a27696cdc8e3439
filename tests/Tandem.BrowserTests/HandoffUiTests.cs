using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>A rep's day with a handed-off lead through the real pages: the queue, an attempt, the accept.</summary>
public class HandoffUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_rep_signs_in_sees_their_queue_logs_an_attempt_and_accepts_a_lead()
    {
        var page = await app.NewPageAsync(Role.SalesRep);
        var lead = await HandOverAsync("person03@globex.example");

        await page.GotoAsync("/");
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Handoff" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My leads" })).ToBeVisibleAsync();
        var row = page.GetByTestId("queue-row").Filter(new() { HasText = lead.Name });
        await Expect(row).ToContainTextAsync("first touch");
        await Expect(row.Locator(".countdown")).ToContainTextAsync("due in");
        await AppFixture.ScreenshotAsync(page, "handoff-queue");

        await row.GetByRole(AriaRole.Link, new() { Name = lead.Name }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/handoff/{lead.Id}$"));
        await Expect(page.GetByTestId("sla-status")).ToHaveTextAsync("on track");
        var attempt = page.GetByTestId("attempt-form");
        await attempt.Locator("select[name=kind]").SelectOptionAsync("Call");
        await attempt.GetByLabel("Note").FillAsync("Left a voicemail");
        await attempt.GetByRole(AriaRole.Button, new() { Name = "Log attempt" }).ClickAsync();
        await Expect(page.GetByTestId("action-done")).ToHaveTextAsync("Attempt logged.");
        await Expect(page.GetByTestId("attempts")).ToContainTextAsync("Call");
        await Expect(page.GetByTestId("attempts")).ToContainTextAsync("Left a voicemail");

        await page.GetByTestId("accept").ClickAsync();
        await Expect(page.GetByTestId("action-done")).ToContainTextAsync("Accepted");
        await Expect(page.GetByTestId("lead-state")).ToHaveTextAsync("accepted");
        await Expect(page.GetByTestId("sla-status")).ToHaveTextAsync("met");
        await AppFixture.ScreenshotAsync(page, "handoff-lead");

        await page.GotoAsync("/handoff/dashboard");
        await Expect(page.GetByTestId("by-rep")).ToContainTextAsync(AppFixture.RepName);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_rep_filters_open_leads_sees_what_a_call_needs_and_watches_a_countdown_change()
    {
        var soon = await HandOverAsync(SeedData.GraceEmail, TimeSpan.FromHours(3)); // assigned 09:00: first touch due 13:00, in an hour
        var later = await HandOverAsync("person05@globex.example", TimeSpan.Zero);   // first touch due 16:00
        var page = await app.NewPageAsync(Role.SalesRep);
        await page.Clock.InstallAsync(); // the page's timers run on a clock the test moves

        await page.GotoAsync("/handoff");
        await Expect(page.GetByTestId("queue-tabs").GetByRole(AriaRole.Link, new() { Name = "Open" })).ToHaveAttributeAsync("aria-current", "page");
        var grace = page.GetByTestId("queue-row").Filter(new() { HasText = soon.Name });
        await Expect(grace.GetByTestId("phone")).ToHaveTextAsync("+1 555 0100");
        await Expect(grace.GetByTestId("queue-sla")).ToHaveTextAsync("due soon");

        await page.GetByTestId("queue-filters").GetByLabel("SLA").SelectOptionAsync(new SelectOptionValue { Label = "due soon" });
        await page.GetByTestId("queue-filters").GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByTestId("queue-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("queue-row").Filter(new() { HasText = later.Name })).ToHaveCountAsync(0);

        var countdown = page.GetByTestId("queue-row").Locator(".countdown");
        await Expect(countdown).ToHaveTextAsync("due in 1h 0m");
        await page.Clock.RunForAsync(5 * 60 * 1000); // five minutes pass in the browser; the server's page is not reloaded
        await Expect(countdown).ToHaveTextAsync("due in 55m");
        await page.Clock.RunForAsync(60 * 60 * 1000);
        await Expect(countdown).ToHaveTextAsync("overdue by 5m");
        await AppFixture.ScreenshotAsync(page, "handoff-queue-filtered");

        await page.GetByTestId("queue-tabs").GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
        await Expect(page.GetByTestId("queue-row").Filter(new() { HasText = soon.Name })).ToHaveCountAsync(0);

        // A phone: nothing needs a sideways scroll on the queue or the lead page.
        await page.SetViewportSizeAsync(390, 844);
        foreach (var url in new[] { "/handoff", $"/handoff/{soon.Id}" })
        {
            await page.GotoAsync(url);
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{url} scrolls sideways at 390 px");
        }
        await Expect(page.GetByTestId("lead-phone")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "handoff-lead-390");
        await page.Context.CloseAsync();
    }

    /// <summary>Hands an MQL of the seed to the fixture's rep, as routing would (account owner), with the default SLA.</summary>
    private async Task<(int Id, string Name)> HandOverAsync(string email, TimeSpan? ago = null)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var rep = await db.Users.SingleAsync(u => u.Email == AppFixture.RepEmail);
        var person = await db.People.SingleAsync(p => p.Email == email);
        person.OwnerId = rep.Id;
        var h = new Features.Handoffs.Handoff
        {
            PersonId = person.Id, AssigneeId = rep.Id, Rule = Router.AccountOwner, RuleNote = "Owner of the matched account", MqlAt = person.StageChangedAt,
        };
        SlaClock.Start(h, SlaSection.Default, HandoffAssigner.Standard, db.UtcNow - (ago ?? TimeSpan.Zero));
        db.Handoffs.Add(h);
        await db.SaveChangesAsync();
        return (h.Id, person.DisplayName);
    }
}
