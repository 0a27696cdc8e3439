using System.Net;
using Microsoft.EntityFrameworkCore;
using Tandem.Components.Help;
using Tandem.Data;

namespace Tandem.Tests.Wording;

public class HelpPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Markdown_is_escaped_and_marked_up()
    {
        var html = Markdown.ToHtml("## Rates\n\nA **rate** is `won / closed`, see [plan](plan.md) and [0057](decisions/0057-x.md).\n\n- one\n- <b>two</b>\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            HelpTopics.Link);
        Assert.Contains("<h3>Rates</h3>", html);
        Assert.Contains("<strong>rate</strong>", html);
        Assert.Contains("<code>won / closed</code>", html);
        Assert.Contains("<a href=\"/help/plan\">plan</a>", html);
        Assert.Contains(" and 0057.", html); // a decision record has no page in the app: its words stay, unlinked
        Assert.Contains("<li>&lt;b&gt;two&lt;/b&gt;</li>", html);
        Assert.Contains("<td>1</td><td>2</td>", html);
    }

    [Fact]
    public void The_guide_and_the_metric_definitions_ship_inside_the_program() =>
        Assert.Subset(HelpTopics.All.ToHashSet(), new HashSet<string> { "metrics", "agreement", "handoff", "insight", "plan" });

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Help_pages_render_and_pages_link_to_them_not_to_repository_files(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, browser) = await app.SignInAsNewAsync(Role.Marketing);
        using (browser)
        {
            var metrics = await browser.Client.GetStringAsync("/help/metrics", Ct);
            Assert.Contains("<h1>Metric definitions</h1>", metrics);
            Assert.Contains("<table class=\"data\">", metrics);
            Assert.Contains("href=\"/help/", await browser.Client.GetStringAsync("/help", Ct));
            Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/help/no-such-topic", Ct)).StatusCode);
            foreach (var page in new[] { "/agreement", "/insight" })
            {
                var html = await browser.Client.GetStringAsync(page, Ct);
                Assert.DoesNotContain("docs/", html);
            }
        }
    }
}
