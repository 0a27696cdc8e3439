using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Tests.Pages;

/// <summary>The opportunity and account pages, and pages that tell history in sentences with names (issue 13, parts 3 and 4).</summary>
public class DealAndLabelPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Opportunity_and_account_pages_show_money_names_and_links(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(300));
        await using var db = app.Db.Open();
        var marketer = await db.Users.FirstAsync(u => u.IsDemo && u.Role == Role.Marketing, Ct);
        using var browser = await app.SignInAsync(marketer.Email, DemoLogins.Password);
        var deal = await db.Opportunities.Where(o => o.Outcome == Outcome.Won && o.AccountId != null && o.PrimaryPersonId != null && o.OwnerId != null)
            .OrderBy(o => o.Id).FirstAsync(Ct);
        var owner = await db.Users.Where(u => u.Id == deal.OwnerId).Select(u => u.Name).FirstAsync(Ct);
        var primary = await db.People.FirstAsync(p => p.Id == deal.PrimaryPersonId, Ct);

        var page = WebUtility.HtmlDecode(await browser.Client.GetStringAsync($"/opportunities/{deal.Id}", Ct));
        Assert.Contains(Tandem.Components.Text.Money(deal.AmountMinor, deal.Currency), page);
        Assert.Contains(owner, page);
        Assert.Contains($"href=\"/people/{primary.Id}\"", page);
        Assert.Contains($"href=\"/accounts/{deal.AccountId}\"", page);
        Assert.Contains("data-testid=\"deal-stages\"", page);
        Assert.Contains("Won", page);
        Assert.DoesNotContain("user:", page);

        var account = WebUtility.HtmlDecode(await browser.Client.GetStringAsync($"/accounts/{deal.AccountId}", Ct));
        Assert.Contains($"href=\"/opportunities/{deal.Id}\"", account);
        Assert.Contains($"href=\"/people/{primary.Id}\"", account);
        Assert.Contains("data-testid=\"score-rollup\"", account);
        AssertSentences(account);

        // A sales manager notes what the buyer said, on the deal's page, and finds it there.
        var manager = await db.Users.FirstAsync(u => u.IsDemo && u.Role == Role.SalesManager, Ct);
        using var sales = await app.SignInAsync(manager.Email, DemoLogins.Password);
        var dealPage = $"/opportunities/{deal.Id}";
        Assert.Contains("data-testid=\"add-note-form\"", await sales.Client.GetStringAsync(dealPage, Ct));
        var added = await sales.PostFormAsync("/sync/notes/new", new() { ["kind"] = "Question", ["text"] = "Can the contract start next quarter?",
            ["opportunityId"] = $"{deal.Id}", ["return"] = dealPage }, dealPage);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.StartsWith($"{dealPage}?noteDone=", added.Headers.Location!.OriginalString);
        Assert.Contains("Can the contract start next quarter?", await sales.Client.GetStringAsync(dealPage, Ct));
        Assert.Equal(deal.Id, (await db.FieldNotes.SingleAsync(n => n.Text == "Can the contract start next quarter?", Ct)).OpportunityId);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/opportunities/999999", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/accounts/999999", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Person_and_lead_timelines_are_sentences_with_names(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(300));
        await using var db = app.Db.Open();
        var admin = await db.Users.FirstAsync(u => u.IsDemo && u.Role == Role.Admin, Ct);
        using var browser = await app.SignInAsync(admin.Email, DemoLogins.Password);
        // A lead a rep accepted: its timeline has a rep's decision and the routing row, both once stored with ids and JSON.
        var lead = await db.Handoffs.Where(h => h.DecidedBy != null && h.DecidedBy.StartsWith("user:")).OrderBy(h => h.Id).FirstAsync(Ct);
        var rep = await db.Users.Where(u => "user:" + u.Id == lead.DecidedBy).Select(u => u.Name).FirstAsync(Ct);

        var person = WebUtility.HtmlDecode(await browser.Client.GetStringAsync($"/people/{lead.PersonId}", Ct));
        AssertSentences(person);
        Assert.Contains(rep, person);
        var leadPage = WebUtility.HtmlDecode(await browser.Client.GetStringAsync($"/handoff/{lead.Id}", Ct));
        AssertSentences(leadPage);
    }

    /// <summary>The timeline holds no stored JSON and the page names no one as "user:N".</summary>
    private static void AssertSentences(string html)
    {
        var timeline = Regex.Match(html, "<ol class=\"timeline\" data-testid=\"timeline\">(.*?)</ol>", RegexOptions.Singleline);
        Assert.True(timeline.Success, "the page has a timeline");
        var text = Regex.Replace(timeline.Groups[1].Value, "<[^>]+>", " ");
        Assert.DoesNotContain("{", text);
        Assert.DoesNotContain("\\u0027", text);
        Assert.DoesNotMatch(@"user:\d", html);
    }
}
