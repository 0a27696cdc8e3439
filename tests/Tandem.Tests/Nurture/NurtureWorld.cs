using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Nurture;
using Tandem.Tests.Handoff;

namespace Tandem.Tests.NurtureTracks;

/// <summary>
/// The handoff team (<see cref="HandoffWorld"/>) with a real SMTP sink and nurture's background loop off (tests drive each pass):
/// recycled leads come from real MQLs rejected by sales with "no budget or timing".
/// </summary>
internal sealed partial class NurtureWorld : IAsyncDisposable
{
    public const string Pricing = "https://acme.test/pricing";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    public required HandoffWorld Team { get; init; }
    public required SmtpSink Sink { get; init; }
    public TestApp App => Team.App;
    public NurtureRunner Runner => App.App.Services.GetRequiredService<NurtureRunner>();

    public static Dictionary<string, string?> Settings(SmtpSink sink, Dictionary<string, string?>? more = null) =>
        new[] { HandoffWorld.Smtp(sink), new() { ["Nurture:RunInBackground"] = "false", ["Email:RunInBackground"] = "false", ["Cadence:RunInBackground"] = "false", ["Nurture:PublicUrl"] = "https://tandem.test" }, more ?? [] }
            .SelectMany(d => d).ToDictionary(kv => kv.Key, kv => kv.Value);

    public static async Task<NurtureWorld> StartAsync(string provider, Dictionary<string, string?>? more = null)
    {
        var sink = SmtpSink.Start();
        var team = await HandoffWorld.StartAsync(provider, Settings(sink, more));
        await team.AccountAsync("fit.test");
        return new NurtureWorld { Team = team, Sink = sink };
    }

    /// <summary>An MQL handed to sales, then rejected by the assigned rep as "no budget or timing": Nurture, re-engage in a week.</summary>
    public async Task<int> RecycledAsync(string email)
    {
        var lead = await Team.MqlAsync(email);
        var res = await Team.App.Client.PostAsJsonAsync($"/api/handoffs/{lead.Id}/reject",
            new { reason = "no-budget-or-timing", note = "Next quarter", reengageAt = App.Clock.GetUtcNow().UtcDateTime.AddDays(7) }, TestApp.Json, Ct);
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync(Ct));
        return lead.PersonId;
    }

    public static object Track(string name, int holdout = 0, string body = "Hi {{ firstName | there }},\n\nWhen the time is right, [see our pricing](" + Pricing + ").",
        bool inquiries = false) => new
    {
        name, status = "Active",
        content = new
        {
            enrol = inquiries ? (object)new { stage = "Inquiry" } : new { stage = "Nurture", recycleReasons = new[] { "No budget or timing now" } },
            steps = new object[]
            {
                new { key = "m1", kind = "Message", variants = new[] { new { key = "A", subject = "Still thinking about it?", body }, new { key = "B", subject = "A thought for next quarter", body } },
                    test = new { mode = "Sequential", reward = "Mql", holdoutPercent = holdout, baseline = 0.05, mde = 0.02 } },
                new { key = "w1", kind = "Wait", days = 3 },
                new { key = "m2", kind = "Message", variants = new[] { new { key = "A", subject = "One more idea", body } } },
            },
        },
    };

    public async Task<int> TrackAsync(object track) => (await App.PostAsync<TrackDto>("/api/nurture/tracks", track)).Id;

    [GeneratedRegex(@"https://tandem\.test(/n/c/[^\s)]+)")]
    private static partial Regex ClickLink();

    public static string ClickPath(ReceivedMail mail) => ClickLink().Match(mail.Message.TextBody ?? "").Groups[1].Value;

    /// <summary>Follows a click link as a person's browser would, then waits for the click to be written (the redirect does not wait).</summary>
    public Task<HttpResponseMessage> ClickAsync(string path) => Click(App, path);

    public static async Task<HttpResponseMessage> Click(TestApp app, string path)
    {
        var res = await app.Anonymous().GetAsync(path, Ct);
        await app.App.Services.GetRequiredService<ClickWriter>().FlushAsync(Ct);
        return res;
    }

    public async Task<double> ScoreAsync(int personId)
    {
        await using var db = App.Db.Open(App.Clock);
        return await db.LeadScores.Where(s => s.PersonId == personId).Select(s => s.Score).SingleAsync(Ct);
    }

    private int _n;

    public async Task TouchAsync(string email, string type) =>
        await App.PostAsync<Features.Touches.BatchResult>("/api/touches:batch", new
        {
            touches = new[] { new { eventId = $"nw{++_n}-{email}", email, type, channel = "Content", occurredAt = App.Clock.GetUtcNow().UtcDateTime } },
        });

    /// <summary>Engagement until the score sits within one email click of the threshold (60): the click must be what tips it.</summary>
    public async Task JustBelowThresholdAsync(string email, int personId)
    {
        await TouchAsync(email, "WebVisit");
        while (await ScoreAsync(personId) + 10 < 57) await TouchAsync(email, "ContentDownload");
        while (await ScoreAsync(personId) < 57) await TouchAsync(email, "WebVisit");
        Assert.InRange(await ScoreAsync(personId), 57, 59.999);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
