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

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_editor_refuses_an_unknown_channel_beside_the_channel_boxes_and_saves_nothing(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        using var browser = await w.Team.SignInAsync(w.Team.ManagerId);
        var fields = new Dictionary<string, string>
        {
            [TrackForm.Name] = "Webinar guests", [TrackForm.Status] = "Draft", [TrackForm.Version] = "", [TrackForm.Stage] = "Inquiry",
            [TrackForm.Channels] = "tiktok",
            [TrackForm.StepField(0, "kind")] = "Message", [TrackForm.VariantField(0, 0, "subject")] = "Hello", [TrackForm.VariantField(0, 0, "body")] = "Hi",
        };

        var bad = await browser.PostFormAsync("/nurture/new", fields, "/nurture/new");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("&#x27;tiktok&#x27; is not a known channel", await bad.Content.ReadAsStringAsync(Ct));
        Assert.Empty(await w.App.GetAsync<List<TrackSummaryDto>>("/api/nurture/tracks"));
    }
}
