using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

/// <summary>A track's enrolment channels are checked against the channel taxonomy at save: a label is stored as its key, and a
/// channel nobody added is a field error that names it, with nothing saved.</summary>
public class TrackChannelsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Track(params string[] channels) => new
    {
        name = "Webinar follow-up", status = "Draft",
        content = new
        {
            enrol = new { stage = "Inquiry", channels },
            steps = new object[] { new { key = "m1", kind = "Message", variants = new[] { new { key = "A", subject = "Hello", body = "Hi" } } } },
        },
    };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_unknown_channel_is_refused_naming_it_and_a_label_is_stored_as_its_key(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);

        var bad = await app.Client.PostAsJsonAsync("/api/nurture/tracks", Track("Webinar", "tiktok"), TestApp.Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        var message = errors.GetProperty("content.enrol.channels[1]")[0].GetString();
        Assert.Contains("'tiktok' is not a known channel", message);
        Assert.Contains("tandem channels add tiktok", message);
        Assert.False(errors.TryGetProperty("content.enrol.channels[0]", out _));
        Assert.Empty(await app.GetAsync<List<TrackSummaryDto>>("/api/nurture/tracks"));

        var good = await app.PostAsync<TrackDto>("/api/nurture/tracks", Track("Webinar", "Paid search"));
        var stored = (await app.GetAsync<TrackDto>($"/api/nurture/tracks/{good.Id}")).Content.Enrol.Channels!;
        Assert.Equal(["Webinar", "PaidSearch"], stored.Select(c => c.Key));
    }
}
