using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Features.Cadence;
using Tandem.Tests.Handoff;

namespace Tandem.Tests.Cadence;

/// <summary>The /sync page: the agenda in the seeds' order, notes shown as text, and the meeting's forms.</summary>
public class SyncPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_page_shows_the_agenda_in_order_keeps_markup_as_text_and_takes_questions_and_actions(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        var lead = await w.MqlAsync("ann@acme.com");
        await app.PostAsync<FieldNote>("/api/notes", new { kind = "Objection", text = "<script>alert(1)</script><img src=x onerror=alert(2)>", personId = lead.PersonId });
        using var browser = await app.SignInAsync(w.Email(w.Reps[0]));
        var url = $"/sync/{CadenceWorld.Week}";

        var html = await browser.Client.GetStringAsync(url, Ct);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        var order = new[] { "1. Numbers", "2. Anecdotes", "3. Questions heard", "4. Wins", "5. Actions" }.Select(h => html.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Contains($"href=\"/sync/{CadenceWorld.Week}/kpi/mqls\"", html);
        Assert.Contains("this week is not over, so nothing is written yet", html);

        var asked = await browser.PostFormAsync($"{url}/notes", new() { ["kind"] = "Question", ["text"] = "Can we import from HubSpot?", ["about"] = "ann@acme.com" }, url);
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var raised = await browser.PostFormAsync($"{url}/actions", new() { ["title"] = "Send the HubSpot import guide", ["ownerId"] = $"{w.Reps[0]}", ["dueOn"] = "2026-03-06" }, url);
        Assert.Equal(HttpStatusCode.Redirect, raised.StatusCode);
        var bad = await browser.PostFormAsync($"{url}/actions", new() { ["title"] = " " }, url);
        Assert.Contains("error=", bad.Headers.Location?.OriginalString);

        html = await browser.Client.GetStringAsync(url, Ct);
        Assert.Contains("Can we import from HubSpot?", html);
        Assert.Contains("Send the HubSpot import guide", html);
        var drill = await browser.Client.GetStringAsync($"{url}/kpi/mqls", Ct);
        Assert.Contains($"href=\"/people/{lead.PersonId}\"", drill);
        Assert.Contains("ann@acme.com", drill);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_page_of_the_week_in_progress_answers_from_its_kept_document_with_the_meetings_changes_at_once(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        await w.MqlAsync("ann@acme.com");
        var live = app.App.Services.GetRequiredService<LiveSync>();
        var records = app.App.Services.GetRequiredService<SyncRecords>();
        async Task<(double? Mqls, DateTime? AsOf, int Heard, int Actions, int Done)> PageAsync()
        {
            await using var db = app.Db.Open(app.Clock);
            var (dto, _) = await CadenceApi.LoadAsync(db, records, CadenceWorld.Week, null, Ct, live);
            var d = dto!.Document;
            return (d.Scorecard.Kpis.Single(k => k.Key == "mqls").Value, dto.AsOf, d.Heard.Count, d.Actions.New.Count, d.Actions.Done.Count);
        }
        var built = app.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal((1, built, 0, 0, 0), await PageAsync());

        await w.MqlAsync("bob@acme.com");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal((1, built, 0, 0, 0), await PageAsync()); // kept: the page says what time its numbers are as of
        var exact = await app.GetAsync<SyncRecordDto>($"/api/sync/{CadenceWorld.Week}");
        Assert.Equal(2, exact.Document.Scorecard.Kpis.Single(k => k.Key == "mqls").Value); // the API builds exactly

        // A question and an action raised in the meeting are on the page at once; the numbers stay as of their time.
        await app.PostAsync<FieldNote>("/api/notes", new { kind = "Question", text = "Does it read HubSpot exports?" });
        Assert.Equal((1, built, 1, 0, 0), await PageAsync());
        var action = await app.PostAsync<ActionItem>("/api/actions", new { title = "Send the import guide", ownerId = w.Reps[0] });
        Assert.Equal((1, built, 1, 1, 0), await PageAsync());
        // Done at the same instant it was raised (the clock stands still): the item's version moved, so the page sees it.
        var done = await app.Client.PatchAsJsonAsync($"/api/actions/{action.Id}", new { status = "Done", version = action.Version }, TestApp.Json, Ct);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal((1, built, 1, 1, 1), await PageAsync());

        await w.MqlAsync("cy@acme.com");
        app.Clock.Advance(LiveSync.MaxAge);
        Assert.Equal((1, built, 1, 1, 1), await PageAsync()); // older than a minute: answered from what it has, rebuilt behind it
        var waited = System.Diagnostics.Stopwatch.StartNew();
        (double? Mqls, DateTime? AsOf, int Heard, int Actions, int Done) now;
        while ((now = await PageAsync()).Mqls != 3 && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50, Ct);
        Assert.Equal((3, app.Clock.GetUtcNow().UtcDateTime, 1, 1, 1), now);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_page_of_the_week_in_progress_is_built_ahead_of_its_first_visit_once_per_week(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        await w.MqlAsync("ann@acme.com");
        var live = app.App.Services.GetRequiredService<LiveSync>();
        var records = app.App.Services.GetRequiredService<SyncRecords>();

        var warmed = app.Clock.GetUtcNow().UtcDateTime;
        Assert.True(await live.WarmAsync(Ct));
        Assert.False(await live.WarmAsync(Ct)); // kept: the job's next pass does nothing
        await w.MqlAsync("bob@acme.com");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await using (var db = app.Db.Open(app.Clock))
        {
            var (dto, _) = await CadenceApi.LoadAsync(db, records, CadenceWorld.Week, null, Ct, live);
            Assert.Equal(warmed, dto!.AsOf); // the first visit answers from the document built ahead of it
            Assert.Equal(1, dto.Document.Scorecard.Kpis.Single(k => k.Key == "mqls").Value);
        }

        app.Clock.Advance(TimeSpan.FromDays(7)); // a new week begins: its page is built once more
        Assert.True(await live.WarmAsync(Ct));
        Assert.False(await live.WarmAsync(Ct));
    }
}
