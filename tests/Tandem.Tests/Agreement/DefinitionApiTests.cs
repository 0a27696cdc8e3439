using System.Net;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

public class DefinitionApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DefinitionContent Starter = StarterDefinition.Content;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_draft_becomes_active_only_when_a_marketing_user_and_a_sales_manager_approve_its_exact_content(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, otherMarketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var (_, rep) = await app.SignInAsNewAsync(Role.SalesRep);
        var (_, viewer) = await app.SignInAsNewAsync(Role.Viewer);
        var draft = await AgreementHarness.DraftAsync(marketing.Client, Starter, "first");
        Assert.Equal(DefinitionStatus.Draft, draft.Status);

        Assert.Equal(HttpStatusCode.OK, (await AgreementHarness.ReviewAsync(marketing.Client, draft.Number, "Approve", draft.ContentHash)).StatusCode);
        // The same person cannot approve twice; another marketing user does not make a sales approval.
        var twice = await AgreementHarness.ReviewAsync(marketing.Client, draft.Number, "Approve", draft.ContentHash);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("already approved", (await Problem.ReadAsync(twice, HttpStatusCode.Conflict)).Detail);
        Assert.Equal(HttpStatusCode.OK, (await AgreementHarness.ReviewAsync(otherMarketing.Client, draft.Number, "Approve", draft.ContentHash)).StatusCode);
        // Reps and viewers cannot approve at all; an API key is not a person.
        Assert.Equal(HttpStatusCode.Forbidden, (await AgreementHarness.ReviewAsync(rep.Client, draft.Number, "Approve", draft.ContentHash)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AgreementHarness.ReviewAsync(viewer.Client, draft.Number, "Approve", draft.ContentHash)).StatusCode);
        var key = await AgreementHarness.ReviewAsync(app.Client, draft.Number, "Approve", draft.ContentHash);
        Assert.Equal(HttpStatusCode.Forbidden, key.StatusCode);
        Assert.Contains("signed-in person", (await Problem.ReadAsync(key, HttpStatusCode.Forbidden)).Detail);
        Assert.Equal(DefinitionStatus.Draft, (await app.GetAsync<DefinitionDto>($"/api/definitions/{draft.Number}")).Status);

        // Marketing edits the draft: the approvals were of the old hash; a sales approval of the old hash is refused.
        var edited = Starter with { Qualify = Starter.Qualify with { Threshold = 55 } };
        var put = await marketing.Client.PutAsJsonAsync($"/api/definitions/{draft.Number}", new { content = edited, version = draft.Version }, TestApp.Json, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var current = (await put.Content.ReadFromJsonAsync<DefinitionDto>(TestApp.Json, Ct))!;
        Assert.False(current.MarketingApproved);
        var stale = await AgreementHarness.ReviewAsync(sales.Client, draft.Number, "Approve", draft.ContentHash);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("has changed since you read it", (await Problem.ReadAsync(stale, HttpStatusCode.Conflict)).Detail);
        Assert.Equal(DefinitionStatus.Draft, (await app.GetAsync<DefinitionDto>($"/api/definitions/{draft.Number}")).Status);

        Assert.Equal(HttpStatusCode.OK, (await AgreementHarness.ReviewAsync(sales.Client, draft.Number, "Approve", current.ContentHash)).StatusCode);
        Assert.Equal(DefinitionStatus.Draft, (await app.GetAsync<DefinitionDto>($"/api/definitions/{draft.Number}")).Status);
        var last = await AgreementHarness.ReviewAsync(marketing.Client, draft.Number, "Approve", current.ContentHash);
        var result = (await last.Content.ReadFromJsonAsync<ReviewResult>(TestApp.Json, Ct))!;
        Assert.True(result.Activated);

        var active = await app.GetAsync<DefinitionDto>("/api/definitions/active");
        Assert.Equal((draft.Number, 55), (active.Number, active.Content.Qualify.Threshold));
        Assert.Equal(4, active.Reviews.Count); // refused reviews are not recorded
        Assert.StartsWith("Fit B or better, and score 55 or more", active.Summary);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_rejection_withdraws_that_persons_approval_and_comments_are_kept(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var draft = await AgreementHarness.DraftAsync(marketing.Client, Starter);
        await AgreementHarness.ReviewAsync(sales.Client, draft.Number, "Approve", draft.ContentHash);
        await AgreementHarness.ReviewAsync(sales.Client, draft.Number, "Reject", draft.ContentHash, "Threshold too low for my team");
        await AgreementHarness.ReviewAsync(marketing.Client, draft.Number, "Comment", null, "Let's look at the what-if");
        await AgreementHarness.ReviewAsync(marketing.Client, draft.Number, "Approve", draft.ContentHash);
        var d = await app.GetAsync<DefinitionDto>($"/api/definitions/{draft.Number}");
        Assert.Equal(DefinitionStatus.Draft, d.Status);
        Assert.Equal((true, false), (d.MarketingApproved, d.SalesApproved));
        Assert.Contains(d.Reviews, r => r.Decision == ReviewDecision.Reject && r.Comment == "Threshold too low for my team");
        Assert.Contains(d.Reviews, r => r.Decision == ReviewDecision.Comment);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_active_version_never_changes(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var active = await AgreementHarness.ActivateAsync(app, Starter);
        var changed = Starter with { Qualify = Starter.Qualify with { Threshold = 10 } };
        var res = await app.Client.PutAsJsonAsync($"/api/definitions/{active.Number}", new { content = changed, version = active.Version }, TestApp.Json, Ct);
        Assert.Equal(HttpStatusCode.Conflict, res.StatusCode);
        Assert.Contains("never changes", (await Problem.ReadAsync(res, HttpStatusCode.Conflict)).Detail);
        var after = await app.GetAsync<DefinitionDto>($"/api/definitions/{active.Number}");
        Assert.Equal((active.ContentHash, 60), (after.ContentHash, after.Content.Qualify.Threshold));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Bad_definitions_are_refused_with_the_field_named_and_nothing_stored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var bad = Starter with
        {
            Fit = new FitSection([new FitRule("account.shoeSize", "gte", 5, Number: 1)],
                [new GradeBand(Grade.A, 60, null), new GradeBand(Grade.B, 40, 70), new GradeBand(Grade.C, 20, 39), new GradeBand(Grade.D, null, 19)]),
            Qualify = Starter.Qualify with { Threshold = 0 },
        };
        var res = await app.Client.PostAsJsonAsync("/api/definitions", new { content = bad }, TestApp.Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Contains("content.fit.rules[0].field", problem.Errors.Keys);
        Assert.Contains("content.fit.bands[0]", problem.Errors.Keys);
        Assert.Contains("content.qualify.threshold", problem.Errors.Keys);
        Assert.Empty(await app.GetAsync<List<DefinitionSummaryDto>>("/api/definitions"));

        var unknownType = await app.Client.PostAsync("/api/definitions", new StringContent(
            Starter.ToJson().Replace("\"DemoRequest\"", "\"Telepathy\""), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownType.StatusCode);
        Assert.Empty(await app.GetAsync<List<DefinitionSummaryDto>>("/api/definitions"));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_versions_can_be_diffed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var v1 = await AgreementHarness.ActivateAsync(app, Starter);
        var v2 = await AgreementHarness.DraftAsync(app.Client, Starter with { Qualify = Starter.Qualify with { MinFit = Grade.C } });
        var diff = await app.GetAsync<List<DiffLine>>($"/api/definitions/{v1.Number}/diff/{v2.Number}");
        Assert.Equal(["removed: Fit B or better and score 60 or more", "added: Fit C or better and score 60 or more"],
            diff.Select(d => $"{d.Change}: {d.Text}"));
    }
}
