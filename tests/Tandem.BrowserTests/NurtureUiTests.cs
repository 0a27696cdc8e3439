using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Nurture;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>A marketer reads a track's variant results and drills into the people behind a number, at desktop and phone width.</summary>
public class NurtureUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_marketer_opens_a_track_reads_the_variant_results_and_the_verdict_and_drills_into_the_clickers()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        var (trackId, clicker) = await SeedAsync();

        await page.GotoAsync("/");
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Nurture" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nurture", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("tracks")).ToContainTextAsync("Enrols recycled leads (No budget or timing now)");
        await Expect(page.GetByTestId("suppressions")).ToContainTextAsync("Unsubscribed");
        await AppFixture.ScreenshotAsync(page, "nurture-tracks");

        await page.GetByRole(AriaRole.Link, new() { Name = "No budget or timing" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/nurture/{trackId}$"));
        await Expect(page.GetByTestId("steps")).ToContainTextAsync("Wait 3 business days");
        var step = page.GetByTestId("step-m1");
        await Expect(step.GetByTestId("verdict")).ToContainTextAsync("No winner yet");
        await Expect(step.GetByTestId("variants")).ToContainTextAsync("Control (no email)");
        await Expect(step.Locator("svg.chart rect")).ToHaveCountAsync(3);
        await AppFixture.ScreenshotAsync(page, "nurture-track");

        // The Clicked count of variant A opens the people behind it.
        var rowA = step.GetByTestId("variants").Locator("tbody tr").Filter(new() { Has = page.Locator("td:first-child", new() { HasTextRegex = new Regex("^A$") }) });
        await rowA.Locator("td").Nth(5).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("records")).ToContainTextAsync(clicker);

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/nurture/{trackId}");
        await Expect(page.GetByTestId("step-m1").GetByTestId("verdict")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "nurture-track-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_creates_a_track_in_the_editor_is_told_the_unknown_template_field_fixes_it_saves_and_previews_it_as_a_person()
    {
        var page = await app.NewPageAsync(Role.Admin);
        var (personEmail, firstName) = await PersonAsync();

        await page.GotoAsync("/nurture");
        await page.GetByRole(AriaRole.Link, new() { Name = "New track" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New track" })).ToBeVisibleAsync();
        await page.Locator("[name='name']").FillAsync("Not yet ready: webinar guests");
        await page.GetByLabel("Inquiries below the MQL score (not yet ready)").CheckAsync();
        await page.GetByLabel("Webinar", new() { Exact = true }).CheckAsync();
        await page.Locator("[name='steps[0].variants[0].subject']").FillAsync("Thanks for joining, {{ firstName | there }}");
        await page.Locator("[name='steps[0].variants[0].body']").FillAsync("Hi {{ frist_name }},\n\nThe slides are [here](https://acme.test/slides).");
        await page.Locator("[name='steps[1].kind']").SelectOptionAsync("Wait");
        await page.Locator("[name='steps[1].days']").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save track" }).ClickAsync();

        // Refused: the error names the field, beside the body that has it, and what was typed is still there.
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("not saved");
        await Expect(page.GetByTestId("variant-0-0").Locator(".field-error")).ToContainTextAsync("'frist_name'");
        await Expect(page.Locator("[name='steps[1].days']")).ToHaveValueAsync("3");
        await AppFixture.ScreenshotAsync(page, "nurture-editor-error");
        using (var scope = app.Services.CreateScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<TandemDb>().NurtureTracks.AnyAsync(t => t.Name == "Not yet ready: webinar guests", TestContext.Current.CancellationToken));

        await page.Locator("[name='steps[0].variants[0].body']").FillAsync("Hi {{ firstName | there }},\n\nThe slides are [here](https://acme.test/slides).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save track" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/nurture/\d+\?saved=1$"));
        await Expect(page.Locator(".notice")).ToContainTextAsync("Track saved");
        await Expect(page.GetByTestId("steps")).ToContainTextAsync("Wait 3 business days");

        // Preview as a person: the HTML part in a sandboxed frame, the plain-text part beside it, their name filled in.
        var preview = page.GetByTestId("preview");
        await preview.GetByLabel("Person (email or id)").FillAsync(personEmail);
        await preview.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(preview.GetByTestId("preview-subject")).ToHaveTextAsync($"Thanks for joining, {firstName}");
        await Expect(preview.GetByTestId("preview-text")).ToContainTextAsync($"Hi {firstName},");
        await Expect(preview.GetByTestId("preview-html")).ToHaveAttributeAsync("sandbox", "");
        await Expect(page.FrameLocator("[data-testid=preview-html]").GetByRole(AriaRole.Link, new() { Name = "here" })).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "nurture-preview");

        // The track page leads back to the editor, filled in with what was saved.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit track" }).ClickAsync();
        await Expect(page.Locator("[name='name']")).ToHaveValueAsync("Not yet ready: webinar guests");
        await Expect(page.GetByLabel("Webinar", new() { Exact = true })).ToBeCheckedAsync();
        await AppFixture.ScreenshotAsync(page, "nurture-editor");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "nurture-editor-phone");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the editor is wider than a phone screen");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_sets_a_fixed_tests_significance_and_power_is_told_when_they_are_out_of_range_and_sees_them_on_the_track()
    {
        var page = await app.NewPageAsync(Role.Admin);
        await page.GotoAsync("/nurture/new");
        await page.Locator("[name='name']").FillAsync("Pricing test: fixed horizon");
        await page.Locator("[name='steps[0].variants[0].subject']").FillAsync("Still weighing it up?");
        await page.Locator("[name='steps[0].variants[0].body']").FillAsync("Hi {{ firstName | there }}, [see pricing](https://acme.test/pricing).");
        await page.Locator("[name='steps[0].variants[1].subject']").FillAsync("Next quarter, then?");
        await page.Locator("[name='steps[0].variants[1].body']").FillAsync("Hello, [see pricing](https://acme.test/pricing).");
        await page.GetByTestId("step-row-0").GetByLabel("Test between variants").SelectOptionAsync("Fixed");
        await page.GetByTestId("step-row-0").GetByLabel("Significance level α (%)").FillAsync("30");
        await page.GetByTestId("step-row-0").GetByLabel("Power (%)").FillAsync("100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save track" }).ClickAsync();

        // Refused: each number is explained beside its own field, in percent, and the choices typed are kept.
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("not saved");
        var row = page.GetByTestId("step-row-0");
        await Expect(row.Locator("label", new() { Has = page.Locator("[name='steps[0].test.alpha']") }).Locator(".field-error")).ToContainTextAsync("at most 20 %");
        await Expect(row.Locator("label", new() { Has = page.Locator("[name='steps[0].test.power']") }).Locator(".field-error")).ToContainTextAsync("below 100 %");
        await Expect(row.GetByLabel("Test between variants")).ToHaveValueAsync("Fixed");
        await AppFixture.ScreenshotAsync(page, "nurture-editor-test-error");
        using (var scope = app.Services.CreateScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<TandemDb>().NurtureTracks.AnyAsync(t => t.Name == "Pricing test: fixed horizon", TestContext.Current.CancellationToken));

        await row.GetByLabel("Significance level α (%)").FillAsync("1");
        await row.GetByLabel("Power (%)").FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save track" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/nurture/\d+\?saved=1$"));
        await Expect(page.GetByTestId("steps")).ToContainTextAsync("fixed-horizon test on clicks, 10 % held out, significance 1 %, power 90 % to find a lift of 1 points");

        // Back in the editor the numbers are as saved, and the sample size they cost is stated.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit track" }).ClickAsync();
        await Expect(page.GetByTestId("step-row-0").GetByLabel("Significance level α (%)")).ToHaveValueAsync("1");
        await Expect(page.GetByTestId("step-row-0").GetByLabel("Power (%)")).ToHaveValueAsync("90");
        await Expect(page.GetByTestId("sample-size-0")).ToContainTextAsync("people per variant");
        await AppFixture.ScreenshotAsync(page, "nurture-editor-test");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "nurture-editor-test-phone");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the editor is wider than a phone screen");
        await page.Context.CloseAsync();
    }

    private async Task<(string Email, string FirstName)> PersonAsync()
    {
        using var scope = app.Services.CreateScope();
        var p = await scope.ServiceProvider.GetRequiredService<TandemDb>().People.Where(x => x.FirstName != null && x.FirstName != "").OrderBy(x => x.Id).FirstAsync(TestContext.Current.CancellationToken);
        return (p.Email!, p.FirstName!);
    }

    /// <summary>A track with a sent first step (variants A and B, a 10 % control), clicks, and one unsubscribe.</summary>
    private async Task<(int TrackId, string Clicker)> SeedAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var now = db.UtcNow;
        var content = new TrackContent(new EnrolRule(LifecycleStage.Nurture, RecycleReasons: ["No budget or timing now"]),
        [
            new Step("m1", StepKind.Message, [new Variant("A", "Still thinking about it?", "Hi {{ firstName | there }}"), new Variant("B", "Next quarter?", "Hello")],
                new VariantTest(TestMode.Sequential, Reward.Click, HoldoutPercent: 10, Mde: 0.02)),
            new Step("w1", StepKind.Wait, Days: 3),
        ]);
        var track = new NurtureTrack { Name = "No budget or timing", Status = TrackStatus.Active, Content = content.ToJson(), CreatedAt = now };
        db.NurtureTracks.Add(track);
        await db.SaveChangesAsync();
        var people = await db.People.OrderBy(p => p.Id).Take(12).ToListAsync();
        string[] variants = ["A", "B", "A", "B", "A", "B", "A", "B", "A", "B", VariantAssignment.Control, VariantAssignment.Control];
        for (var i = 0; i < people.Count; i++)
        {
            var e = new NurtureEnrolment { TrackId = track.Id, PersonId = people[i].Id, StepIndex = 2, DueAt = now, Status = EnrolmentStatus.Completed, EnrolledAt = now.AddDays(-5) };
            db.NurtureEnrolments.Add(e);
            await db.SaveChangesAsync();
            var held = variants[i] == VariantAssignment.Control;
            db.NurtureSends.Add(new NurtureSend
            {
                EnrolmentId = e.Id, TrackId = track.Id, StepKey = "m1", PersonId = people[i].Id, Variant = variants[i], Email = people[i].Email!,
                Subject = held ? "" : "Still thinking about it?", Text = "", Status = held ? SendStatus.Held : SendStatus.Sent, QueuedAt = now.AddDays(-5),
                NextAttemptAt = now.AddDays(-5), SentAt = held ? null : now.AddDays(-5), ClickedAt = i is 0 or 2 ? now.AddDays(-4) : null,
            });
        }
        db.EmailSuppressions.Add(new EmailSuppression { Email = people[5].Email!, Reason = SuppressionReason.Unsubscribed, PersonId = people[5].Id, At = now.AddDays(-3), Note = "one-click unsubscribe" });
        await db.SaveChangesAsync();
        return (track.Id, people[0].Email!);
    }
}
