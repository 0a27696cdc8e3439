using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>
/// The SLA dashboard's rejections as a reason × channel pivot and a bar chart, opened to their leads; the marketing counts
/// opened to their people; one lit sidebar entry; and the rep's Done tab with scores.
/// </summary>
public class SlaDashboardUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_manager_reads_rejections_by_reason_and_channel_and_opens_a_cell_and_a_weeks_mqls()
    {
        await RejectAsync("person08@globex.example", "wrong-region", Channel.PaidSearch);
        await RejectAsync("person10@globex.example", "wrong-region", Channel.Social);
        await RejectAsync("person11@globex.example", "duplicate", Channel.PaidSearch);
        var page = await app.NewPageAsync(Role.SalesManager);

        await page.GotoAsync("/handoff/dashboard");
        // Only the entry for this page is lit, not "Handoff" above it.
        var lit = page.Locator("nav.sidebar a.nav-item.active");
        await Expect(lit).ToHaveCountAsync(1);
        await Expect(lit).ToHaveTextAsync("SLA dashboard");

        var pivot = page.GetByTestId("rejection-pivot");
        await Expect(pivot.Locator("thead")).ToContainTextAsync("Paid search");
        var region = pivot.GetByTestId("pivot-row").Filter(new() { HasText = "Outside our sales regions" });
        await Expect(region).ToHaveCountAsync(1); // the custom reason's label, never its code
        await Expect(page.GetByTestId("rejections")).Not.ToContainTextAsync("wrong-region");
        await Expect(page.GetByTestId("rejection-chart").Locator("svg a")).ToHaveCountAsync(2); // one bar per reason, each a link
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the dashboard scrolls sideways at 1280 px");
        await page.GetByTestId("rejections").ScrollIntoViewIfNeededAsync();
        await AppFixture.ScreenshotAsync(page, "sla-dashboard-1280");

        // Row "Outside our sales regions", column "Paid search": one lead.
        var columns = (await pivot.Locator("thead th").AllTextContentsAsync()).Select(c => c.Trim()).ToList(); // not innerText: headings are upper-cased by CSS
        var paid = columns.IndexOf("Paid search");
        Assert.True(paid > 0, string.Join(" | ", columns));
        var cell = region.Locator("th, td").Nth(paid);
        await Expect(cell).ToHaveTextAsync("1");
        await cell.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("drill-title")).ToHaveTextAsync("Rejected leads");
        await Expect(page.Locator(".page-head")).ToContainTextAsync("reason: Outside our sales regions · channel: Paid search");
        await Expect(page.GetByTestId("drill-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("drill-row")).ToContainTextAsync("Outside our sales regions");

        // A week's MQL count opens the people who became MQLs that week, as many as it says.
        await page.GoBackAsync();
        var mql = page.GetByTestId("marketing").GetByTestId("drill-mql").First;
        var count = int.Parse(await mql.InnerTextAsync());
        await mql.ClickAsync();
        await Expect(page.GetByTestId("drill-title")).ToHaveTextAsync("People who became MQLs");
        await Expect(page.GetByTestId("drill-row")).ToHaveCountAsync(count);

        // A phone: the pivot scrolls inside its card with the reason column in view; the page itself does not.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/handoff/dashboard");
        await Expect(page.GetByTestId("rejection-pivot")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the dashboard scrolls sideways at 390 px");
        var chart = await page.GetByTestId("rejection-chart").BoundingBoxAsync();
        Assert.True(chart is { Width: > 200 and <= 390 }, $"the chart is {chart?.Width} px wide at 390 px");
        await AppFixture.ScreenshotAsync(page, "sla-dashboard-390");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_rep_sees_grade_and_score_on_the_done_tab()
    {
        var lead = await RejectAsync(SeedData.GraceEmail, "duplicate", null, AppFixture.RepEmail);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // A score needs an active definition (the seed has none): the starter, as a new install approves it.
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            if (!await db.LeadDefinitions.AnyAsync(d => d.Status == DefinitionStatus.Active, TestContext.Current.CancellationToken))
            {
                var content = StarterDefinition.Content;
                db.LeadDefinitions.Add(new LeadDefinition
                {
                    Number = 1, Status = DefinitionStatus.Active, Content = content.ToJson(), ContentHash = content.Hash(), CreatedBy = "test", ActivatedAt = db.UtcNow,
                });
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }
        }
        var page = await app.NewPageAsync(Role.SalesRep);
        await page.GotoAsync("/handoff?tab=done");
        var row = page.GetByTestId("queue-row").Filter(new() { HasText = lead });
        await Expect(row.GetByTestId("grade")).ToHaveTextAsync(new Regex("^[A-D]$"));
        await Expect(row.GetByTestId("score")).ToHaveTextAsync(new Regex("^[0-9]+$"));
        await Expect(row.GetByTestId("queue-reason")).ToHaveTextAsync("Duplicate");
        await Expect(page.Locator("nav.sidebar a.nav-item.active")).ToHaveTextAsync("Handoff");
        await AppFixture.ScreenshotAsync(page, "handoff-done-scores");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A lead handed to a rep a week ago and rejected for <paramref name="reason"/>; "wrong-region" is a custom reason an
    /// admin added (as the API does). The first touch's channel is set so the pivot has columns.
    /// </summary>
    private async Task<string> RejectAsync(string email, string reason, Channel? channel, string repEmail = "sam@tandem.example")
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        if (reason == "wrong-region" && !await db.RejectReasons.AnyAsync(r => r.Code == reason))
        {
            db.RejectReasons.Add(new RejectReason { Code = reason, Label = "Outside our sales regions", Position = 100 });
            await db.SaveChangesAsync();
        }
        var rep = await db.Users.SingleAsync(u => u.Email == repEmail);
        var person = await db.People.SingleAsync(p => p.Email == email);
        if (channel is not null) person.SourceChannel = channel;
        var at = db.UtcNow.AddDays(-7);
        var h = new Features.Handoffs.Handoff
        {
            PersonId = person.Id, AssigneeId = rep.Id, Rule = Router.AccountOwner, RuleNote = "Owner of the matched account", MqlAt = at,
        };
        SlaClock.Start(h, SlaSection.Default, HandoffAssigner.Standard, at);
        (h.State, h.DecidedAt, h.DecidedBy, h.RejectReason, h.FirstTouchAt) = (HandoffState.Rejected, at.AddHours(1), $"user:{rep.Id}", reason, at.AddHours(1));
        db.Handoffs.Add(h);
        await db.SaveChangesAsync();
        return person.DisplayName;
    }
}
