using System.Net;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Cadence;

namespace Tandem.Tests.Cadence;

/// <summary>The field-notes page (search, filters, top questions with drill-down) and "Add a note" on the lead and person pages.</summary>
public class NotesPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_rep_adds_a_question_on_a_lead_page_and_finds_it_by_search_filter_and_theme_drill_down(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        var lead = await w.MqlAsync("ann@acme.com");
        await app.PostAsync<FieldNote>("/api/notes", new { kind = "Objection", text = "Too expensive <script>alert(1)</script>", personId = lead.PersonId });
        await app.PostAsync<FieldNote>("/api/notes", new { kind = "Question", text = "Does the HubSpot import keep owners?", personId = lead.PersonId });
        using var rep = await w.SignInAsync(w.Reps[0]);
        var leadPage = $"/handoff/{lead.Id}";
        Assert.Contains("data-testid=\"add-note-form\"", await rep.Client.GetStringAsync(leadPage, Ct));

        var added = await rep.PostFormAsync("/sync/notes/new", new() { ["kind"] = "Question", ["text"] = "Can we import from HubSpot every night?",
            ["personId"] = $"{lead.PersonId}", ["return"] = leadPage }, leadPage);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.StartsWith($"{leadPage}?noteDone=", added.Headers.Location!.OriginalString);
        var back = await rep.Client.GetStringAsync(added.Headers.Location.OriginalString, Ct);
        Assert.Contains("Question heard added", back);
        Assert.Contains("Can we import from HubSpot every night?", back);
        var refused = await rep.PostFormAsync("/sync/notes/new", new() { ["kind"] = "Question", ["text"] = " ", ["return"] = "//evil.test" }, leadPage);
        Assert.StartsWith("/sync/notes?noteError=", refused.Headers.Location!.OriginalString);

        var search = await rep.Client.GetStringAsync("/sync/notes?q=hubspot", Ct);
        Assert.Contains("2 matching notes", search);
        Assert.Contains("Can we import from HubSpot every night?", search);
        Assert.DoesNotContain("Too expensive", search);
        var objections = await rep.Client.GetStringAsync("/sync/notes?kind=Objection", Ct);
        Assert.Contains("Too expensive &lt;script&gt;", objections);
        Assert.DoesNotContain("<script>alert", objections);
        Assert.DoesNotContain("HubSpot every night", objections);
        var later = await rep.Client.GetStringAsync("/sync/notes?from=2026-03-20", Ct);
        Assert.Contains("No note matches", later);
        Assert.Contains("is before the start date", await rep.Client.GetStringAsync("/sync/notes?from=2026-03-20&to=2026-03-01", Ct));

        // Top questions: "hubspot" was asked twice this week; its count opens exactly those two notes.
        var page = await rep.Client.GetStringAsync("/sync/notes", Ct);
        var drill = $"/sync/notes?themes=Question&amp;term=hubspot&amp;week={CadenceWorld.Week}#notes";
        Assert.Contains(drill, page);
        var notes = await rep.Client.GetStringAsync(WebUtility.HtmlDecode(drill), Ct);
        Assert.Contains($"Questions heard in {CadenceWorld.Week} mentioning hubspot: 2", notes);
        Assert.Contains("Does the HubSpot import keep owners?", notes);

        var person = await rep.Client.GetStringAsync($"/people/{lead.PersonId}", Ct);
        Assert.Contains("data-testid=\"add-note-form\"", person);
        Assert.Contains("3 in all", person);
    }

    [Fact]
    public async Task A_viewer_reads_notes_but_gets_no_form_and_cannot_post_one()
    {
        var w = await CadenceWorld.StartAsync("sqlite");
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        var lead = await w.MqlAsync("bo@acme.com");
        var (_, viewer) = await app.SignInAsNewAsync(Role.Viewer);
        Assert.Contains("Field notes", await viewer.Client.GetStringAsync("/sync/notes", Ct));
        var person = await viewer.Client.GetStringAsync($"/people/{lead.PersonId}", Ct);
        Assert.DoesNotContain("add-note-form", person);
        var post = await viewer.PostFormAsync("/sync/notes/new", new() { ["kind"] = "Question", ["text"] = "x", ["personId"] = $"{lead.PersonId}" }, "/sync/notes");
        Assert.DoesNotContain("noteDone", post.Headers.Location?.OriginalString ?? "");
        await using var db = app.Db.Open(app.Clock);
        Assert.Equal(0, await db.FieldNotes.CountAsync(Ct));
    }
}
