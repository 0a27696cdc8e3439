using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

/// <summary>Marketing and sales approve at the same moment: the draft becomes active exactly once, never stuck as a draft.</summary>
public class ApprovalRaceTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_approvals_at_the_same_moment_activate_the_draft_exactly_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);

        for (var round = 0; round < 5; round++)
        {
            var content = StarterDefinition.Content with { Qualify = StarterDefinition.Content.Qualify with { Threshold = 50 + round } };
            var draft = await AgreementHarness.DraftAsync(marketing.Client, content);
            using var go = new SemaphoreSlim(0, 2);
            var both = new[] { marketing, sales }.Select(async who =>
            {
                await go.WaitAsync(TestContext.Current.CancellationToken);
                return await AgreementHarness.ReviewAsync(who.Client, draft.Number, "Approve", draft.ContentHash);
            }).ToList();
            go.Release(2); // both requests leave together
            var answers = await Task.WhenAll(both);

            var results = new List<ReviewResult>();
            foreach (var a in answers)
            {
                Assert.True(a.IsSuccessStatusCode, $"round {round}: {await a.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                results.Add((await a.Content.ReadFromJsonAsync<ReviewResult>(TestApp.Json, TestContext.Current.CancellationToken))!);
            }
            Assert.Single(results, r => r.Activated);
            Assert.Equal(draft.Number, (await app.GetAsync<DefinitionDto>("/api/definitions/active")).Number);
        }
    }
}
