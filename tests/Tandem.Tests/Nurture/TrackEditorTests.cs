using System.Net;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

/// <summary>The editor's form posts through the real pipeline: a good save, an unknown field refused with nothing saved, a taken
/// name, and a stale version.</summary>
public class TrackEditorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Fields(string name, string body, string version = "") => new()
    {
        [TrackForm.Name] = name, [TrackForm.Status] = "Draft", [TrackForm.Version] = version, [TrackForm.Stage] = "Inquiry",
        [TrackForm.StepField(0, "kind")] = "Message", [TrackForm.VariantField(0, 0, "subject")] = "Hello", [TrackForm.VariantField(0, 0, "body")] = body,
        [TrackForm.StepField(1, "kind")] = "Wait", [TrackForm.StepField(1, "days")] = "2", [TrackForm.StepField(2, "kind")] = "",
    };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_form_saves_a_track_refuses_unknown_fields_taken_names_and_stale_versions(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        using var browser = await w.Team.SignInAsync(w.Team.ManagerId);
        const string good = "Hi {{ firstName | there }}, [the guide](https://acme.test/guide)";

        var bad = await browser.PostFormAsync("/nurture/new", Fields("Webinar guests", "Hi {{ frist_name }}"), "/nurture/new");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("frist_name", html);
        Assert.Contains("value=\"Webinar guests\"", html); // the form comes back as posted
        await using (var db = w.App.Db.Open(w.App.Clock)) Assert.False(await db.NurtureTracks.AnyAsync(Ct));

        var created = await browser.PostFormAsync("/nurture/new", Fields("Webinar guests", good), "/nurture/new");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var track = await w.App.GetAsync<List<TrackSummaryDto>>("/api/nurture/tracks");
        var id = Assert.Single(track).Id;
        Assert.Equal($"/nurture/{id}?saved=1", created.Headers.Location!.OriginalString);
        var stored = await w.App.GetAsync<TrackDto>($"/api/nurture/tracks/{id}");
        Assert.Equal(["m1", "w1"], stored.Content.Steps.Select(s => s.Key));
        Assert.Equal(LifecycleStage.Inquiry, stored.Content.Enrol.Stage);

        var taken = await browser.PostFormAsync("/nurture/new", Fields("Webinar guests", good), "/nurture/new");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Contains("exists: choose another name", await taken.Content.ReadAsStringAsync(Ct));

        // Two people opened version 1; the first save wins, the second is told and keeps its changes on the form.
        var edit = $"/nurture/{id}/edit";
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(edit, Fields("Webinar guests (EMEA)", good, stored.Version.ToString()), edit)).StatusCode);
        var stale = await browser.PostFormAsync(edit, Fields("Webinar guests (US)", good, stored.Version.ToString()), edit);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        var staleHtml = await stale.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Someone else saved", staleHtml);
        Assert.Contains("value=\"Webinar guests (US)\"", staleHtml);
        Assert.Equal("Webinar guests (EMEA)", (await w.App.GetAsync<TrackDto>($"/api/nurture/tracks/{id}")).Name);
    }
}
