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

    /// <summary>Hands an MQL of the seed to the fixture's rep, as routing would (account owner), with the default SLA.</summary>
    private async Task<(int Id, string Name)> HandOverAsync(string email)
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
        SlaClock.Start(h, SlaSection.Default, HandoffAssigner.Standard, db.UtcNow);
        db.Handoffs.Add(h);
        await db.SaveChangesAsync();
        return (h.Id, person.DisplayName);
    }
}
