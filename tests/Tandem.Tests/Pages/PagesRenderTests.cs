using System.Net;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;
using Tandem.Tests.Agreement;

namespace Tandem.Tests.Pages;

/// <summary>
/// Every page renders over demo data on both databases. Browser tests run on SQLite only; PostgreSQL answers
/// asynchronously, which once exposed a page that rendered before its data had loaded.
/// </summary>
public class PagesRenderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Every_page_renders_for_an_admin_over_demo_data(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(300));
        await using var db = app.Db.Open();
        var admin = await db.Users.FirstAsync(u => u.IsDemo && u.Role == Role.Admin, Ct);
        var someone = await db.People.OrderBy(p => p.Id).FirstAsync(Ct);
        var lead = await db.Handoffs.OrderBy(h => h.Id).FirstAsync(Ct);
        using var browser = await app.SignInAsync(admin.Email, DemoLogins.Password);
        // The Agreement pages with something on them: the demo's active v1 (approved by both sides) and a draft changing it.
        var active = await AgreementSetup.ActiveOrStarterAsync(app);
        var draft = await AgreementSetup.DraftAsync(app, AgreementSetup.WithThreshold(45), "Lower the threshold");

        // An admin's home is the Revenue page.
        var home = await browser.Client.GetAsync("/", Ct);
        Assert.Equal((HttpStatusCode.Redirect, "/revenue"), (home.StatusCode, home.Headers.Location?.AbsolutePath));
        foreach (var page in new[] { "/people", "/people?q=a&stage=MQL&page=2", $"/people/{someone.Id}", "/admin/audit", "/admin/keys", "/admin/webhooks",
                     "/account/password", "/learning", "/nurture", "/import", "/sync", "/sync/2026-W40", "/sync/notes", "/sync/notes?q=price&kind=Question&from=2026-09-01", "/sync/notes?themes=Objection", "/funnel", "/revenue", "/revenue/plans/1", "/revenue/plans/1/records?stage=SQL", "/revenue/snapshots/1?fate=Won", "/handoff", "/handoff/dashboard", $"/handoff/{lead.Id}", "/agreement", $"/agreement/{active.Number}", $"/agreement/{draft.Number}",
                     $"/agreement/{draft.Number}?months=3", $"/agreement/{draft.Number}/edit", $"/agreement/{active.Number}/edit" })
        {
            var res = await browser.Client.GetAsync(page, Ct);
            Assert.True(res.StatusCode == HttpStatusCode.OK, $"{page} answered {(int)res.StatusCode}");
            Assert.Contains("</html>", await res.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/agreement/999", Ct)).StatusCode);
        // Every page names the favicon, and the address it names is served.
        var icon = System.Text.RegularExpressions.Regex.Match(await browser.Client.GetStringAsync("/people", Ct), "<link rel=\"icon\"[^>]*href=\"([^\"]+)\"");
        Assert.True(icon.Success, "the layout links a favicon");
        var iconRes = await browser.Client.GetAsync(icon.Groups[1].Value, Ct);
        Assert.Equal(HttpStatusCode.OK, iconRes.StatusCode);
        Assert.Equal("image/svg+xml", iconRes.Content.Headers.ContentType?.MediaType);
        // The SLA dashboard charts compliance by week; each point opens that week's breached leads.
        var sla = await browser.Client.GetStringAsync("/handoff/dashboard", Ct);
        Assert.Contains("data-testid=\"compliance-trend\"", sla);
        Assert.Matches("<a href=\"/handoff/dashboard/leads\\?[^\"]*\"><circle", sla);
        var person = await browser.Client.GetStringAsync($"/people/{someone.Id}", Ct);
        Assert.Contains("Score and grade", person);
        Assert.Contains($"under <a href=\"/agreement/{active.Number}\">v{active.Number}</a>", person);
        var draftPage = await browser.Client.GetStringAsync($"/agreement/{draft.Number}", Ct);
        Assert.Contains("score 45 or more", draftPage);
        // The what-if over the demo's year: the chart and the table of who each version qualifies.
        Assert.Contains("data-testid=\"whatif-chart\"", draftPage);
        Assert.Contains("<tr data-set=\"only-draft\"", draftPage);
    }
}
