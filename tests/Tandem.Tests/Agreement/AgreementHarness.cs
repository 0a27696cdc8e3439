using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

/// <summary>Drafts and activates definitions through the API the way the two teams do: a marketing user and a sales manager approve.</summary>
internal static class AgreementHarness
{
    public static async Task<DefinitionDto> DraftAsync(HttpClient client, DefinitionContent content, string? note = null)
    {
        var res = await client.PostAsJsonAsync("/api/definitions", new { content, note }, TestApp.Json);
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<DefinitionDto>(TestApp.Json))!;
    }

    public static Task<HttpResponseMessage> ReviewAsync(HttpClient client, int number, string decision, string? hash, string? comment = null) =>
        client.PostAsJsonAsync($"/api/definitions/{number}/reviews", new { decision, contentHash = hash, comment }, TestApp.Json);

    /// <summary>Drafts <paramref name="content"/> and has it approved by both sides; returns the active version.</summary>
    public static async Task<DefinitionDto> ActivateAsync(TestApp app, DefinitionContent content)
    {
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var draft = await DraftAsync(marketing.Client, content);
        foreach (var who in new[] { marketing, sales })
        {
            var res = await ReviewAsync(who.Client, draft.Number, "Approve", draft.ContentHash);
            Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        }
        var active = await app.GetAsync<DefinitionDto>("/api/definitions/active");
        Assert.Equal(draft.Number, active.Number);
        return active;
    }
}
