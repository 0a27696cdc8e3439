using System.Net.Http.Json;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Tests.Agreement;

/// <summary>Automatic MQL through real ingestion: the active version decides, records itself as the cause, and never rewrites history.</summary>
public class AutoMqlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private const string At = "2026-03-09T10:00:00Z";
    private int _n;

    private object T(string email, string type, string at = At) => new { eventId = $"e{++_n}", email, type, channel = "Organic", occurredAt = at };

    private static async Task<BatchResult> SendAsync(TestApp app, params object[] touches) =>
        await app.PostAsync<BatchResult>("/api/touches:batch", new { touches });

    private static async Task<(PersonDto Person, List<StageChangeDto> Stages)> PersonAsync(TestApp app, string email)
    {
        var p = (await app.GetAsync<Page<PersonDto>>($"/api/people?q={email}")).Items.Single();
        return (p, await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages"));
    }

    private static async Task AccountAsync(TestApp app) =>
        await app.PostAsync<object>("/api/accounts", new { name = "Acme", domain = "acme.com", industry = "Software", employeeCount = 600, country = "Canada" });

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_person_who_reaches_the_threshold_with_the_fit_becomes_an_MQL_caused_by_the_active_version(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, Now);
        await AccountAsync(app);
        var v1 = await AgreementHarness.ActivateAsync(app, StarterDefinition.Content);

        var first = await SendAsync(app, T("ann@acme.com", "FormFill"), T("ann@acme.com", "PricingPageVisit"), T("ann@acme.com", "PricingPageVisit"));
        Assert.Equal(0, first.Mqls);
        Assert.Equal(LifecycleStage.Inquiry, (await PersonAsync(app, "ann@acme.com")).Person.Stage);

        var second = await SendAsync(app, T("ann@acme.com", "ContentDownload"), T("ann@acme.com", "ContentDownload"));
        Assert.Equal(1, second.Mqls);
        var (ann, stages) = await PersonAsync(app, "ann@acme.com");
        Assert.Equal(LifecycleStage.MQL, ann.Stage);
        var mql = stages.Last();
        Assert.Equal((LifecycleStage.Inquiry, LifecycleStage.MQL, $"definition:v{v1.Number}", "system"), (mql.From!.Value, mql.To, mql.Cause, mql.Actor));
        Assert.Equal("Score 60 with fit A", mql.Note);
        Assert.Equal(DateTime.Parse(At).ToUniversalTime(), mql.At);

        // The explanation shows the same score, rule by rule, decayed to now (26 hours on a 30-day half-life).
        var score = await app.GetAsync<PersonScoreDto>($"/api/people/{ann.Id}/score");
        Assert.Equal(Grade.A, score.Grade);
        Assert.Equal(60 * Math.Pow(0.5, 26 / (30 * 24.0)), score.Score, 6);
        Assert.Equal(30, score.Rules.Single(r => r.Rule == "Pricing page").Counted);
        Assert.Equal(5, score.Touches.Count);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_new_account_that_makes_the_fit_qualifies_the_person_and_the_edit_answers_with_the_MQL(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, Now);
        await AgreementHarness.ActivateAsync(app, StarterDefinition.Content);
        await SendAsync(app, T("ann@acme.com", "FormFill"), T("ann@acme.com", "PricingPageVisit"), T("ann@acme.com", "PricingPageVisit"),
            T("ann@acme.com", "ContentDownload"), T("ann@acme.com", "ContentDownload"), T("ann@acme.com", "WebinarAttended"));
        var (ann, _) = await PersonAsync(app, "ann@acme.com");
        Assert.Equal(LifecycleStage.Inquiry, ann.Stage); // the score is there, the fit is not: no company known

        var acme = await app.PostAsync<Tandem.Features.Accounts.AccountDto>("/api/accounts",
            new { name = "Acme", domain = "acme.com", industry = "Software", employeeCount = 600, country = "Canada" });
        var res = await app.Client.PutAsJsonAsync($"/api/people/{ann.Id}", new { email = ann.Email, accountId = acme.Id, version = ann.Version }, Ct);
        res.EnsureSuccessStatusCode();

        // The answer is the person as stored after the MQL: its stage and the version a next edit must send.
        var answered = (await res.Content.ReadFromJsonAsync<PersonDto>(TestApp.Json, Ct))!;
        var (stored, stages) = await PersonAsync(app, "ann@acme.com");
        Assert.Equal((LifecycleStage.MQL, stored.Version, stored.OwnerId), (answered.Stage, answered.Version, answered.OwnerId));
        Assert.Equal("definition:v1", stages.Last().Cause);
        var again = await app.Client.PutAsJsonAsync($"/api/people/{ann.Id}", new { email = ann.Email, accountId = acme.Id, title = "CTO", version = answered.Version }, Ct);
        again.EnsureSuccessStatusCode();
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Fast_track_qualifies_at_once_and_exclusions_never_qualify(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, Now);
        await AccountAsync(app);
        await AgreementHarness.ActivateAsync(app, StarterDefinition.Content);
        var result = await SendAsync(app, T("bob@acme.com", "DemoRequest"),
            T("carl@gmail.com", "DemoRequest"), T("carl@gmail.com", "ContactRequest"), T("carl@gmail.com", "WebinarAttended"),
            T("spy@rivalcrm.com", "DemoRequest"));
        Assert.Equal(1, result.Mqls);
        var bob = await PersonAsync(app, "bob@acme.com");
        Assert.Equal("Fast track: demo request with fit A", bob.Stages.Last().Note);
        Assert.Equal(LifecycleStage.Inquiry, (await PersonAsync(app, "carl@gmail.com")).Person.Stage);
        Assert.Equal(LifecycleStage.Inquiry, (await PersonAsync(app, "spy@rivalcrm.com")).Person.Stage);
        var carl = await app.GetAsync<PersonScoreDto>($"/api/people/{(await PersonAsync(app, "carl@gmail.com")).Person.Id}/score");
        Assert.Equal("personal email", carl.Excluded);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_resent_batch_scores_nothing_twice(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, Now);
        await AccountAsync(app);
        await AgreementHarness.ActivateAsync(app, StarterDefinition.Content);
        var batch = new[] { T("ann@acme.com", "PricingPageVisit"), T("ann@acme.com", "ContentDownload") };
        await SendAsync(app, batch);
        await SendAsync(app, batch);
        await SendAsync(app, batch);
        var ann = (await PersonAsync(app, "ann@acme.com")).Person;
        Assert.Equal(LifecycleStage.Inquiry, ann.Stage);
        var score = await app.GetAsync<PersonScoreDto>($"/api/people/{ann.Id}/score");
        Assert.Equal(25, score.Touches.Sum(t => t.Counted));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_new_version_applies_going_forward_and_never_rewrites_past_MQLs(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, Now);
        await AccountAsync(app);
        var v1 = await AgreementHarness.ActivateAsync(app, StarterDefinition.Content);
        await SendAsync(app, T("ann@acme.com", "DemoRequest"), T("dave@acme.com", "PricingPageVisit"), T("dave@acme.com", "PricingPageVisit"),
            T("dave@acme.com", "FormFill"));
        var annBefore = (await PersonAsync(app, "ann@acme.com")).Stages;
        Assert.Equal(LifecycleStage.Inquiry, (await PersonAsync(app, "dave@acme.com")).Person.Stage); // 40 < 60

        var v2 = await AgreementHarness.ActivateAsync(app, StarterDefinition.Content with
            { Qualify = StarterDefinition.Content.Qualify with { Threshold = 30 } });
        Assert.Equal(DefinitionStatus.Retired, (await app.GetAsync<DefinitionDto>($"/api/definitions/{v1.Number}")).Status);
        // Dave already has 40 ≥ 30 but activation itself promotes nobody (the background re-evaluation does, ReevaluationTests), and Ann's MQL keeps its cause.
        Assert.Equal(LifecycleStage.Inquiry, (await PersonAsync(app, "dave@acme.com")).Person.Stage);
        Assert.Equal(annBefore, (await PersonAsync(app, "ann@acme.com")).Stages);
        Assert.Equal($"definition:v{v1.Number}", annBefore.Last().Cause);

        // Dave's next touch is evaluated under v2 with his whole history rescored.
        app.Clock.Advance(TimeSpan.FromHours(1));
        var result = await SendAsync(app, T("dave@acme.com", "WebVisit", "2026-03-10T12:30:00Z"));
        Assert.Equal(1, result.Mqls);
        Assert.Equal($"definition:v{v2.Number}", (await PersonAsync(app, "dave@acme.com")).Stages.Last().Cause);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task What_if_of_a_draft_identical_to_the_active_version_reproduces_the_MQLs_that_happened(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, Now);
        await AccountAsync(app);
        await AgreementHarness.ActivateAsync(app, StarterDefinition.Content);
        await SendAsync(app, T("ann@acme.com", "DemoRequest", "2026-02-02T10:00:00Z"), T("bob@acme.com", "ContactRequest", "2026-02-20T10:00:00Z"),
            T("dave@acme.com", "PricingPageVisit", "2026-03-01T10:00:00Z"), T("dave@acme.com", "FormFill", "2026-03-01T10:00:00Z"),
            T("carl@gmail.com", "DemoRequest", "2026-03-02T10:00:00Z"));

        var same = await AgreementHarness.DraftAsync(app.Client, StarterDefinition.Content);
        var r = await app.GetAsync<WhatIfResult>($"/api/definitions/{same.Number}/whatif?months=3");
        Assert.Equal((2, 2, 2), (r.DraftMqls, r.ActiveMqls, r.ActualMqls));
        Assert.Equal((2, 0, 0), (r.Both.People, r.OnlyDraft.People, r.OnlyActive.People));
        Assert.Equal(r.Weeks.Select(w => w.Actual), r.Weeks.Select(w => w.Draft));

        var looser = await AgreementHarness.DraftAsync(app.Client, StarterDefinition.Content with
            { Qualify = StarterDefinition.Content.Qualify with { Threshold = 20 } });
        var l = await app.GetAsync<WhatIfResult>($"/api/definitions/{looser.Number}/whatif?months=3");
        Assert.Equal((3, 2, 1, 0), (l.DraftMqls, l.Both.People, l.OnlyDraft.People, l.OnlyActive.People));
        Assert.Equal(0, l.OnlyDraft.Sal); // dave never went further in reality

        var bad = await app.Client.GetAsync($"/api/definitions/{looser.Number}/whatif?months=0", Ct);
        Assert.Contains("months", (await Problem.ReadAsync(bad, System.Net.HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_better_fit_qualifies_an_engaged_person_when_their_account_changes(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, Now);
        var account = await app.PostAsync<Tandem.Features.Accounts.AccountDto>("/api/accounts", new { name = "Tiny", domain = "tiny.io", employeeCount = 5 });
        await AgreementHarness.ActivateAsync(app, StarterDefinition.Content);
        await SendAsync(app, T("eve@tiny.io", "PricingPageVisit", "2026-03-10T11:00:00Z"), T("eve@tiny.io", "PricingPageVisit", "2026-03-10T11:00:00Z"),
            T("eve@tiny.io", "WebinarAttended", "2026-03-10T11:00:00Z"), T("eve@tiny.io", "FormFill", "2026-03-10T11:00:00Z"),
            T("eve@tiny.io", "EmailClick", "2026-03-10T11:00:00Z"), T("eve@tiny.io", "WebVisit", "2026-03-10T11:00:00Z"));
        Assert.Equal(LifecycleStage.Inquiry, (await PersonAsync(app, "eve@tiny.io")).Person.Stage); // score 65 but fit D

        var res = await app.Client.PutAsJsonAsync($"/api/accounts/{account.Id}",
            new { name = "Tiny", domain = "tiny.io", employeeCount = 80, industry = "Software", version = account.Version }, TestApp.Json, Ct);
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync(Ct));
        var eve = await PersonAsync(app, "eve@tiny.io");
        Assert.Equal(LifecycleStage.MQL, eve.Person.Stage);
        Assert.Equal("Score 64.9 with fit A", eve.Stages.Last().Note); // decayed for the hour since the touches
    }
}
