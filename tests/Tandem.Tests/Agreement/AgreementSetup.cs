using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

/// <summary>Definitions made the way people make them: a draft through the API, approved by a marketing user and a sales manager.</summary>
public static class AgreementSetup
{
    /// <summary>Creates a draft of <paramref name="content"/> (admin key) and returns it.</summary>
    public static Task<DefinitionDto> DraftAsync(TestApp app, DefinitionContent? content = null, string? note = null) =>
        app.PostAsync<DefinitionDto>("/api/definitions", new DraftInput(content, null, note));

    /// <summary>A starter v1 approved by both sides, so it is active.</summary>
    public static async Task<DefinitionDto> ActivateStarterAsync(TestApp app)
    {
        var draft = await DraftAsync(app, StarterDefinition.Content, "Starter");
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        await ApproveAsync(marketing, draft);
        var result = await ApproveAsync(sales, draft);
        Assert.True(result.Activated, $"v{draft.Number} was not activated by two approvals");
        return draft;
    }

    /// <summary>The active version (the demo ships one), or a starter activated through the API when there is none.</summary>
    public static async Task<DefinitionDto> ActiveOrStarterAsync(TestApp app)
    {
        var res = await app.Client.GetAsync("/api/definitions/active", TestContext.Current.CancellationToken);
        return res.IsSuccessStatusCode ? (await res.Content.ReadFromJsonAsync<DefinitionDto>(TestApp.Json))! : await ActivateStarterAsync(app);
    }

    public static async Task<ReviewResult> ApproveAsync(Browser who, DefinitionDto d)
    {
        var res = await who.Client.PostAsJsonAsync($"/api/definitions/{d.Number}/reviews",
            new ReviewInput(ReviewDecision.Approve, d.ContentHash, null), TestApp.Json, TestContext.Current.CancellationToken);
        Assert.True(res.IsSuccessStatusCode, $"approval of v{d.Number} answered {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
        return (await res.Content.ReadFromJsonAsync<ReviewResult>(TestApp.Json))!;
    }

    /// <summary>The starter with a lower threshold: the change the tests propose.</summary>
    public static DefinitionContent WithThreshold(int threshold) =>
        StarterDefinition.Content with { Qualify = StarterDefinition.Content.Qualify with { Threshold = threshold } };
}
