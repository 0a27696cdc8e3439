using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>The demo's promoted model on the person page: the probability, the factors in words, the rule score beside it.</summary>
public class LearningUiTests(DemoAppFixture app) : IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task The_person_page_explains_the_models_probability_beside_the_rule_score()
    {
        int id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            // An MQL with a few touches: someone a marketer would look up.
            id = await db.People.Where(p => p.Stage == LifecycleStage.MQL && db.Touches.Count(t => t.PersonId == p.Id) >= 3)
                .OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(TestContext.Current.CancellationToken);
        }
        var page = await app.NewPageAsync(Role.Marketing);
        await page.GotoAsync($"/people/{id}");
        var card = page.GetByTestId("learned-score");
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "What the data says" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("learned-probability")).ToHaveTextAsync(new Regex(@"^\d{1,3} %$"));
        await Expect(card).ToContainTextAsync("chance this person reached SQL within 90 days of becoming an Inquiry");
        // Factors in words with their size: "+0.12 touches: WebinarAttended: 2".
        var factors = card.Locator(".factors li");
        Assert.True(await factors.CountAsync() > 0, "at least one factor is shown");
        await Expect(factors.First).ToHaveTextAsync(new Regex(@"^[+−]\d\.\d\d .+: .+$"));
        // The rule score stays beside it, and the page's own score card is still there.
        await Expect(page.GetByTestId("learned-rule")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? [ABCD]$"));
        await Expect(page.GetByTestId("score-verdict")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "person-learned-1280");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "person-learned-390");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_suggested_definition_is_a_draft_that_opens_in_the_what_if()
    {
        int number;
        string note;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            var facts = await scope.ServiceProvider.GetRequiredService<Tandem.Features.Insight.InsightStore>().GetAsync(db, TestContext.Current.CancellationToken);
            var (draft, _, refusal) = await Tandem.Features.Learning.Models.SuggestAsync(db, facts, TestContext.Current.CancellationToken);
            Assert.True(draft is not null, refusal);
            (number, note) = (draft.Number, draft.Note!);
        }
        Assert.Contains("a week at", note);
        var page = await app.NewPageAsync(Role.Marketing);
        await page.GotoAsync($"/agreement/{number}#whatif");
        await Expect(page.Locator("#whatif")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("whatif-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("(learned)");
        await Expect(page.Locator("body")).ToContainTextAsync("Suggested by model #1");
        await AppFixture.ScreenshotAsync(page, "suggested-whatif");
        await page.Context.CloseAsync();
    }
}
