using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>The sales manager's day: the team queue, a reassignment, and the SLA dashboard's numbers opened to their leads.</summary>
public class TeamQueueUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_manager_reassigns_a_lead_from_the_team_queue()
    {
        await TeamAsync();
        var lead = await HandOverAsync("person04@globex.example", AppFixture.RepEmail, TimeSpan.Zero);
        var page = await app.NewPageAsync(Role.SalesManager);

        await page.GotoAsync("/");
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Team queue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Team queue" })).ToBeVisibleAsync();
        await Expect(page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "SLA dashboard" })).ToBeVisibleAsync();

        // Filtered to Riley's leads, the lead is there with its SLA state.
        await page.GetByTestId("team-filters").GetByLabel("Rep").SelectOptionAsync(new SelectOptionValue { Label = AppFixture.RepName });
        await page.GetByTestId("team-filters").GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var row = page.GetByTestId("team-row").Filter(new() { HasText = lead.Name });
        await Expect(row).ToContainTextAsync(AppFixture.RepName);
        await Expect(row.GetByTestId("team-sla")).ToHaveTextAsync("on track");
        await AppFixture.ScreenshotAsync(page, "handoff-team-queue");

        await row.Locator("select[name=assigneeId]").SelectOptionAsync(new SelectOptionValue { Label = "Dana Reyes" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Reassign" }).ClickAsync();
        await Expect(page.GetByTestId("action-done")).ToContainTextAsync($"{lead.Name} is now Dana Reyes's");
        // The queue kept the rep filter: Riley's list no longer holds the lead.
        await Expect(page).ToHaveURLAsync(new Regex("rep="));
        await Expect(page.GetByTestId("team-row").Filter(new() { HasText = lead.Name })).ToHaveCountAsync(0);

        await page.GotoAsync($"/handoff/{lead.Id}");
        await Expect(page.Locator("dl.details")).ToContainTextAsync("Dana Reyes");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_manager_opens_the_sla_dashboard_from_the_sidebar_and_drills_from_a_breach_count_to_the_lead()
    {
        await TeamAsync();
        var lead = await HandOverAsync("person07@globex.example", "sam@tandem.example", TimeSpan.FromDays(10)); // never touched: breached
        var page = await app.NewPageAsync(Role.SalesManager);

        await page.GotoAsync("/");
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "SLA dashboard" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "SLA dashboard" })).ToBeVisibleAsync();
        // At 1280 px the page does not scroll sideways; a wide table scrolls inside its card instead of being clipped.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await AppFixture.ScreenshotAsync(page, "handoff-sla-dashboard");

        var sam = page.GetByTestId("by-rep").Locator("tr").Filter(new() { HasText = "Sam Ortiz" });
        await sam.GetByTestId("drill-first-touch").ClickAsync();
        await Expect(page.GetByTestId("drill-title")).ToHaveTextAsync("Leads that missed the first touch");
        var row = page.GetByTestId("drill-row").Filter(new() { HasText = lead.Name });
        await Expect(row).ToContainTextAsync("breached");
        await row.GetByRole(AriaRole.Link, new() { Name = lead.Name }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/handoff/{lead.Id}$"));
        await Expect(page.GetByTestId("sla-status")).ToHaveTextAsync("breached");
        await page.Context.CloseAsync();
    }

    /// <summary>Riley and Dana report to Sasha (the fixture's sales manager), so they are Sasha's team.</summary>
    private async Task TeamAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var manager = await db.Users.SingleAsync(u => u.Email == AppFixture.ManagerEmail);
        foreach (var u in await db.Users.Where(u => u.Email == AppFixture.RepEmail || u.Email == "dana@tandem.example").ToListAsync())
            u.ManagerId = manager.Id;
        await db.SaveChangesAsync();
    }

    /// <summary>Hands an MQL of the seed to a rep, <paramref name="ago"/> before now, with the default SLA.</summary>
    private async Task<(int Id, string Name)> HandOverAsync(string email, string repEmail, TimeSpan ago)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var rep = await db.Users.SingleAsync(u => u.Email == repEmail);
        var person = await db.People.SingleAsync(p => p.Email == email);
        person.OwnerId = rep.Id;
        var h = new Features.Handoffs.Handoff
        {
            PersonId = person.Id, AssigneeId = rep.Id, Rule = Router.AccountOwner, RuleNote = "Owner of the matched account", MqlAt = db.UtcNow - ago,
        };
        SlaClock.Start(h, SlaSection.Default, HandoffAssigner.Standard, db.UtcNow - ago);
        h.NextDeadline = SlaClock.Next(h);
        db.Handoffs.Add(h);
        await db.SaveChangesAsync();
        return (h.Id, person.DisplayName);
    }
}
