using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>Field notes as a rep meets them: "Add a note" on a lead's page, then the notes page finds it by search and by theme.</summary>
public class FieldNotesUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_rep_adds_a_question_on_a_lead_page_and_finds_it_on_the_notes_page()
    {
        var page = await app.NewPageAsync(Role.SalesRep);
        var lead = await HandOverAsync("person07@globex.example");

        await page.GotoAsync($"/handoff/{lead.Id}");
        await page.GetByTestId("add-note-open").ClickAsync();
        var form = page.GetByTestId("add-note-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("Question");
        await form.Locator("textarea[name=text]").FillAsync("Does Tandem sync with Zendesk tickets? <i>soon?</i>");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/handoff/{lead.Id}\\?noteDone="));
        await Expect(page.GetByTestId("note-done")).ToContainTextAsync("Question heard added");
        await Expect(page.GetByTestId("latest-notes")).ToContainTextAsync("Does Tandem sync with Zendesk tickets? <i>soon?</i>");
        await AppFixture.ScreenshotAsync(page, "notes-lead-added");

        // The sidebar's Cadence section leads to the notes page; the search finds the question as written.
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Field notes" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sync/notes$"));
        await page.GetByLabel("Words in the note").FillAsync("zendesk");
        await page.GetByLabel("Kind").SelectOptionAsync("Question");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("q=zendesk"));
        await Expect(page.GetByTestId("note")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("note")).ToContainTextAsync("Does Tandem sync with Zendesk tickets? <i>soon?</i>");
        await Expect(page.GetByTestId("note")).ToContainTextAsync(lead.Name);

        // Top questions: "zendesk" this week, and its count opens the note behind it.
        var row = page.GetByTestId("themes-table").Locator("tr").Filter(new() { HasText = "zendesk" });
        await row.GetByTestId("theme-count").ClickAsync();
        await Expect(page.GetByTestId("notes")).ToContainTextAsync("mentioning zendesk: 1");
        await Expect(page.GetByTestId("note")).ToContainTextAsync("Zendesk tickets");
        await AppFixture.ScreenshotAsync(page, "notes-1280");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "notes-390");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the notes page is wider than a phone's screen");
        await page.Context.CloseAsync();
    }

    /// <summary>Hands a person of the seed to the fixture's rep, as routing would.</summary>
    private async Task<(int Id, string Name)> HandOverAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var rep = await db.Users.SingleAsync(u => u.Email == AppFixture.RepEmail);
        var person = await db.People.SingleAsync(p => p.Email == email);
        person.OwnerId = rep.Id;
        var h = new Features.Handoffs.Handoff
        {
            PersonId = person.Id, AssigneeId = rep.Id, Rule = Router.AccountOwner, RuleNote = "Owner of the matched account", MqlAt = person.StageChangedAt,
        };
        SlaClock.Start(h, SlaSection.Default, HandoffAssigner.Standard, db.UtcNow);
        db.Handoffs.Add(h);
        await db.SaveChangesAsync();
        return (h.Id, person.DisplayName);
    }
}
