using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tandem.Tests.NurtureTracks;

/// <summary>The API refuses a variant test's out-of-range significance, power or mode with a ProblemDetails naming each field, and saves
/// nothing; good values are stored and read back.</summary>
public class TestSettingsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Track(string name, object test) => new
    {
        name, status = "Draft",
        content = new
        {
            enrol = new { stage = "Inquiry" },
            steps = new object[]
            {
                new { key = "m1", kind = "Message", variants = new[] { new { key = "A", subject = "Hello", body = "Hi" }, new { key = "B", subject = "Hey", body = "Hi" } }, test },
            },
        },
    };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Alpha_power_and_mode_out_of_range_are_field_errors_and_nothing_is_saved(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var bad = await app.Client.PostAsJsonAsync("/api/nurture/tracks",
            Track("Webinar", new { mode = 7, reward = "Click", baseline = 0.04, mde = 0.01, alpha = 0.5, power = 1.0 }), TestApp.Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("at most 0.2", errors.GetProperty("content.steps[0].test.alpha")[0].GetString());
        Assert.Contains("below 1", errors.GetProperty("content.steps[0].test.power")[0].GetString());
        Assert.Contains("Fixed or Sequential", errors.GetProperty("content.steps[0].test.mode")[0].GetString());
        Assert.Empty(await app.GetAsync<List<Tandem.Features.Nurture.TrackSummaryDto>>("/api/nurture/tracks"));

        var good = await app.PostAsync<Tandem.Features.Nurture.TrackDto>("/api/nurture/tracks",
            Track("Webinar", new { mode = "Fixed", reward = "Click", baseline = 0.04, mde = 0.01, alpha = 0.01, power = 0.9 }));
        var test = (await app.GetAsync<Tandem.Features.Nurture.TrackDto>($"/api/nurture/tracks/{good.Id}")).Content.Steps[0].Test!;
        Assert.Equal((Tandem.Features.Nurture.TestMode.Fixed, 0.01, 0.9), (test.Mode, test.Alpha, test.Power));
    }
}
