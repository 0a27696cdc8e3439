using System.Net;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;

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
        using var browser = await app.SignInAsync(admin.Email, DemoLogins.Password);

        foreach (var page in new[] { "/", "/people", "/people?q=a&stage=MQL&page=2", $"/people/{someone.Id}", "/admin/audit", "/admin/keys", "/admin/webhooks",
                     "/account/password", "/soon/agreement" })
        {
            var res = await browser.Client.GetAsync(page, Ct);
            Assert.True(res.StatusCode == HttpStatusCode.OK, $"{page} answered {(int)res.StatusCode}");
            Assert.Contains("</html>", await res.Content.ReadAsStringAsync(Ct));
        }
    }
}
