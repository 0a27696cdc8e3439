using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Tests.Access;

/// <summary>
/// Every action form on the pages, for every role: a form is shown exactly to those the server lets use it. For each
/// form address any role was shown, each role posts to it (an empty form, so nothing valid is written): a role that was
/// shown the form must not be refused, and a role that was not shown it must be.
/// </summary>
public partial class FormsByRoleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("<form\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("action=\"([^\"]+)\"")]
    private static partial Regex Action();

    private static IEnumerable<string> PostActions(string html) =>
        FormTag().Matches(html).Select(m => m.Value).Where(f => f.Contains("method=\"post\"", StringComparison.OrdinalIgnoreCase))
            .Select(f => Action().Match(f)).Where(a => a.Success).Select(a => WebUtility.HtmlDecode(a.Groups[1].Value))
            .Where(a => a.StartsWith('/') && !a.StartsWith("/account/", StringComparison.Ordinal)); // sign-out and password: everyone's own

    private static bool Refused(HttpResponseMessage r) =>
        r.StatusCode == HttpStatusCode.Forbidden
        || r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.OrdinalIgnoreCase) == true;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Each_role_sees_exactly_the_action_forms_it_may_use(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(300));
        await using var db = app.Db.Open();
        var users = await db.Users.Where(u => u.IsDemo && u.PasswordHash != null).ToListAsync(Ct);
        var rep = users.Single(u => u.Role == Role.SalesRep);
        // A lead the demo rep is working, so a rep has something to act on.
        var lead = await db.Handoffs.Where(h => h.AssigneeId == rep.Id).OrderByDescending(h => h.Id).FirstAsync(Ct);
        var deal = await db.Opportunities.OrderBy(o => o.Id).FirstAsync(Ct);
        string[] pages = ["/people", $"/people/{lead.PersonId}", $"/handoff/{lead.Id}", "/handoff", "/handoff/team", "/handoff/dashboard",
            "/agreement", "/nurture", "/learning", "/sync", "/sync/notes", "/import", "/revenue", $"/opportunities/{deal.Id}",
            "/admin/keys", "/admin/webhooks", "/admin/audit"];

        var shown = new Dictionary<Role, (HashSet<string> Actions, Dictionary<string, string> TokenPage)>();
        var browsers = new Dictionary<Role, Browser>();
        try
        {
            foreach (var u in users)
            {
                var b = await app.SignInAsync(u.Email, DemoLogins.Password);
                browsers[u.Role] = b;
                var (actions, from) = (new HashSet<string>(), new Dictionary<string, string>());
                foreach (var page in pages)
                {
                    var res = await b.Client.GetAsync(page, Ct);
                    if (res.StatusCode != HttpStatusCode.OK) continue; // a page the role may not open shows it no forms
                    foreach (var a in PostActions(await res.Content.ReadAsStringAsync(Ct)))
                        if (actions.Add(a)) from[a] = page;
                }
                shown[u.Role] = (actions, from);
            }
            var every = shown.Values.SelectMany(s => s.Actions).ToHashSet();
            Assert.True(every.Count >= 5, "the pages show action forms: " + string.Join(", ", every));
            var wrong = new List<string>();
            foreach (var (role, (actions, from)) in shown)
            {
                // The token comes from a page this role may open; any of its pages will do.
                var tokenPage = from.Values.FirstOrDefault() ?? "/people";
                foreach (var action in every)
                {
                    var res = await browsers[role].PostFormAsync(action, [], tokenFrom: tokenPage);
                    var refused = Refused(res);
                    if (actions.Contains(action) && refused) wrong.Add($"{role} is shown {action} but refused ({(int)res.StatusCode})");
                    if (!actions.Contains(action) && !refused) wrong.Add($"{role} is not shown {action} but may post to it ({(int)res.StatusCode})");
                }
            }
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        }
        finally
        {
            foreach (var b in browsers.Values) b.Dispose();
        }
    }
}
