using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Tests.Pages;

/// <summary>The People list over demo data: score and grade columns, the owner filter and sorting by score.</summary>
public partial class PeopleListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("<tr>\\s*<td><a class=\"row-link\" href=\"/people/(\\d+)\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td class=\"num\">([^<]*)</td>\\s*<td>([^<]*)</td>\\s*<td>([^<]*)</td>\\s*</tr>", RegexOptions.Singleline)]
    private static partial Regex ScoreGradeOwner();

    private static List<(int Id, double? Score, string Grade, string Owner)> Rows(string html) =>
        Row().Matches(html).Select(m =>
        {
            var c = ScoreGradeOwner().Match(m.Value);
            Assert.True(c.Success, m.Value);
            double? score = double.TryParse(c.Groups[1].Value, CultureInfo.InvariantCulture, out var s) ? s : null;
            return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), score, WebUtility.HtmlDecode(c.Groups[2].Value),
                WebUtility.HtmlDecode(c.Groups[3].Value));
        }).ToList();

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_people_list_shows_score_and_grade_filters_by_owner_and_sorts_by_score(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(300));
        await using var db = app.Db.Open();
        var manager = await db.Users.FirstAsync(u => u.IsDemo && u.Role == Role.SalesManager, Ct);
        var rep = await db.Users.FirstAsync(u => u.IsDemo && u.Role == Role.SalesRep, Ct);
        using var browser = await app.SignInAsync(manager.Email, DemoLogins.Password);

        // Sorted by score: the page shows the highest stored scores, in order, each with its grade.
        var best = Rows(await browser.Client.GetStringAsync("/people?sort=score&pageSize=50", Ct));
        Assert.Equal(50, best.Count);
        Assert.All(best, r => Assert.NotNull(r.Score));
        Assert.Equal(best.Select(r => r.Score).OrderDescending(), best.Select(r => r.Score));
        Assert.All(best, r => Assert.Matches("^[ABCD]$", r.Grade));
        var top = await db.LeadScores.Where(s => db.LeadDefinitions.Any(d => d.Id == s.DefinitionId && d.Status == Tandem.Features.Agreement.DefinitionStatus.Active))
            .MaxAsync(s => s.Score, Ct);
        Assert.Equal(Math.Round(top), best[0].Score);

        // The owner filter: only the rep's people, as many as the database says.
        var owned = await db.People.CountAsync(p => p.OwnerId == rep.Id, Ct);
        Assert.True(owned > 0, "the demo rep owns people");
        var mine = Rows(await browser.Client.GetStringAsync($"/people?owner={rep.Id}&pageSize=100", Ct));
        Assert.Equal(Math.Min(owned, 100), mine.Count);
        Assert.All(mine, r => Assert.Equal(rep.Name, r.Owner));
        var nobody = Rows(await browser.Client.GetStringAsync("/people?owner=0&pageSize=100", Ct));
        Assert.All(nobody, r => Assert.Equal("–", r.Owner));
        Assert.Equal(Math.Min(await db.People.CountAsync(p => p.OwnerId == null, Ct), 100), nobody.Count);

        // The form offers the rep by name and keeps the chosen sort.
        var form = await browser.Client.GetStringAsync($"/people?owner={rep.Id}&sort=name", Ct);
        Assert.Contains($"<option value=\"{rep.Id}\" selected", form);
        Assert.Contains("<option value=\"name\" selected", form);
    }
}
