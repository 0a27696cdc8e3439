using Microsoft.Playwright;
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

    [Fact]
    public async Task Promote_on_the_learning_page_asks_to_confirm_another_label_then_makes_the_model_active()
    {
        var ct = TestContext.Current.CancellationToken;
        int other;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            var facts = await scope.ServiceProvider.GetRequiredService<Tandem.Features.Insight.InsightStore>().GetAsync(db, ct);
            var (m, refusal) = await Tandem.Features.Learning.Models.TrainAsync(db, facts,
                new Tandem.Features.Learning.LearnTarget(Tandem.Features.Learning.LearnLabel.Sql, 60, Tandem.Features.Learning.LearnStart.Inquiry),
                Tandem.Features.Learning.TrainChoices.None, "test", null, ct);
            Assert.True(m is not null, refusal);
            other = m.Number;
        }
        try
        {
            var page = await app.NewPageAsync(Role.Marketing);
            await page.GotoAsync("/learning");
            var models = page.GetByTestId("models");
            await Expect(models.GetByTestId($"model-row-{other}")).ToContainTextAsync("candidate");
            await Expect(models.GetByTestId("promote-1")).ToHaveCountAsync(0); // the active model has no button
            await AppFixture.ScreenshotAsync(page, "learning-models-1280");
            await models.GetByTestId($"promote-{other}").ClickAsync();
            // Another outcome than the active model's: the warning names both, and nothing changed yet.
            var warning = page.GetByTestId("promote-warning");
            await Expect(warning).ToContainTextAsync("reached SQL within 60 days of becoming an Inquiry");
            await Expect(warning).ToContainTextAsync("reached SQL within 90 days of becoming an Inquiry");
            await Expect(page.GetByTestId($"model-row-{other}")).ToContainTextAsync("candidate");
            await page.SetViewportSizeAsync(390, 844);
            await AppFixture.ScreenshotAsync(page, "learning-promote-warning-390");
            await page.SetViewportSizeAsync(1280, 800);
            await page.GetByTestId("promote-confirm").ClickAsync();
            await Expect(page.GetByTestId("form-done")).ToHaveTextAsync($"Model #{other} is now active; model #1 retired.");
            await Expect(page.GetByTestId($"model-row-{other}")).ToContainTextAsync("active");
            await Expect(page.GetByTestId("model-row-1")).ToContainTextAsync("retired");
            await Expect(page.GetByTestId("promote-1")).ToBeVisibleAsync();
            await page.Context.CloseAsync();

            // A rep reads the list but gets no button.
            var rep = await app.NewPageAsync(Role.SalesRep);
            await rep.GotoAsync("/learning");
            await Expect(rep.GetByTestId("models")).ToBeVisibleAsync();
            await Expect(rep.GetByTestId("promote-1")).ToHaveCountAsync(0);
            await rep.Context.CloseAsync();
        }
        finally
        {
            // The other tests of this class explain with the demo's model #1: put it back.
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            await Tandem.Features.Learning.Models.PromoteAsync(db, 1, "test", confirmed: true, ct);
        }
    }

    [Fact]
    public async Task Unit_economics_rank_segments_and_each_count_opens_its_people()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        await page.GotoAsync("/learning");
        await page.GetByTestId("economics-link").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unit economics by segment" })).ToBeVisibleAsync();
        var table = page.GetByTestId("economics");
        await Expect(table).ToContainTextAsync("By channel");
        var rows = table.GetByTestId("segment-row");
        Assert.True(await rows.CountAsync() > 1, "one row per channel");
        // The best segment comes first with its rank, LTV:CAC as a multiple and a rate with its interval.
        await Expect(rows.First.Locator("td").Nth(1)).ToHaveTextAsync("#1");
        await Expect(rows.First.GetByTestId("ltv-cac")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)?×$"));
        await Expect(rows.First).ToContainTextAsync("%–");
        await AppFixture.ScreenshotAsync(page, "economics-1280");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "economics-390");
        await page.SetViewportSizeAsync(1280, 800);

        // By industry through the filter form, then the people behind the first count.
        await page.GotoAsync("/learning/economics?by=industry");
        await Expect(page.GetByTestId("economics")).ToContainTextAsync("By industry");
        var people = page.GetByTestId("segment-row").First.Locator("td").Nth(2);
        var count = int.Parse((await people.InnerTextAsync()).Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        await people.Locator("a").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The records behind the number" })).ToBeVisibleAsync();
        await Expect(page.Locator(".total strong")).ToHaveTextAsync(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_model_report_economics_and_drill_down_read_at_390_px_without_scrolling_sideways()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        foreach (var (path, name, figure) in new[]
                 {
                     ("/learning/1", "learning-report", "deciles"), ("/learning/1", "learning-report", "calibration"),
                     ("/learning/economics", "learning-economics", "ltv-cac"),
                     ("/learning/1/people?set=decile&n=1", "learning-people", "drill-person"),
                 })
        {
            await page.SetViewportSizeAsync(1280, 800);
            await page.GotoAsync(path);
            await Expect(page.GetByTestId(figure).First).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") is var wide1280 && wide1280 <= 1280, $"{path} is {wide1280} px wide at 1280 px");
            await AppFixture.ScreenshotAsync(page, name + "-1280");
            await page.SetViewportSizeAsync(390, 844);
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") is var wide390 && wide390 <= 390, $"{path} is {wide390} px wide at 390 px");
            // The figure the page is about lies within the screen: not clipped by a card, nor behind a table's sideways scroll.
            var box = await page.GetByTestId(figure).First.BoundingBoxAsync();
            Assert.True(box is { X: >= 0, Width: > 0 } && box.X + box.Width <= 390, $"{path}: {figure} lies at x {box?.X}..{box?.X + box?.Width} at 390 px");
            await AppFixture.ScreenshotAsync(page, name + "-390");
        }

        // The report's charts: both drawn, inside the screen, with labels big enough to read (at least 10 px on screen).
        await page.GotoAsync("/learning/1");
        foreach (var chart in new[] { "gains-chart", "calibration-chart" })
        {
            var svg = page.GetByTestId(chart).Locator("svg");
            await Expect(svg).ToBeVisibleAsync();
            var box = await svg.BoundingBoxAsync();
            Assert.True(box is { Width: > 250 } && box.X + box.Width <= 390, $"{chart} is {box?.Width} px wide at x {box?.X}");
            var label = await svg.Locator("text.chart-label").First.BoundingBoxAsync();
            Assert.True(label is { Height: >= 10 }, $"{chart}'s labels are {label?.Height} px high");
        }
        await Expect(page.GetByTestId("gains-chart")).ToContainTextAsync("% of test people, best scored first");
        await Expect(page.GetByTestId("calibration-chart")).ToContainTextAsync("perfect");
        // On a phone each model is a block of labelled lines, and the kept model is marked beside its name.
        Assert.Equal("block", await page.GetByTestId("model-row-1").EvaluateAsync<string>("e => getComputedStyle(e).display"));
        Assert.Equal("Test AUC: ", await page.GetByTestId("model-row-1").Locator("td[data-label='Test AUC']")
            .EvaluateAsync<string>("e => getComputedStyle(e, '::before').content.replace(/\"/g, '')"));
        await Expect(page.GetByTestId("trainers")).ToContainTextAsync("kept");
        await page.Context.CloseAsync();
    }
}
