using System.Net;
using System.Net.Http.Json;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Activity;
using Tandem.Features.People;

namespace Tandem.Tests.Access;

public class AccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Wrong_passwords_lock_the_account_even_against_the_right_one(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddUserAsync("rep@tandem.test", Role.SalesRep);
        using var browser = app.NewBrowser();

        var first = await browser.SignInAsync("rep@tandem.test", "wrong password 1");
        Assert.Contains("error=invalid", first.Headers.Location!.OriginalString);
        for (var i = 2; i <= 5; i++) await browser.SignInAsync("rep@tandem.test", $"wrong password {i}");
        var right = await browser.SignInAsync("rep@tandem.test", Browser.Password);

        // Locked, but answered as an unknown address is: the answer does not tell a prober that the account exists.
        Assert.Contains("error=invalid", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/people", Ct)).StatusCode);
        var unknown = await browser.SignInAsync("nobody@tandem.test", Browser.Password);
        Assert.Equal(right.Headers.Location!.OriginalString, unknown.Headers.Location!.OriginalString);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Expired_revoked_and_unknown_keys_get_401_saying_which(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var expiring = await app.ClientWithKeyAsync(KeyScope.Read, expiresAt: app.Clock.GetUtcNow().UtcDateTime.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, (await expiring.GetAsync("/api/people", Ct)).StatusCode);
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Contains("expired", (await Problem.ReadAsync(await expiring.GetAsync("/api/people", Ct), HttpStatusCode.Unauthorized)).Detail);

        var created = await app.PostAsync<CreatedApiKey>("/api/keys", new { name = "website", scope = "Ingest" });
        var website = app.Anonymous();
        website.DefaultRequestHeaders.Authorization = new("Bearer", created.Secret);
        await app.PostAsync<ApiKeyDto>($"/api/keys/{created.Key.Id}/revoke", new { });
        Assert.Contains("revoked", (await Problem.ReadAsync(await website.PostAsJsonAsync("/api/touches:batch", new { touches = Array.Empty<object>() }, Ct), HttpStatusCode.Unauthorized)).Detail);

        var stranger = app.Anonymous();
        stranger.DefaultRequestHeaders.Authorization = new("Bearer", "tdm_made_up");
        Assert.Contains("not known", (await Problem.ReadAsync(await stranger.GetAsync("/api/people", Ct), HttpStatusCode.Unauthorized)).Detail);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Keys_are_shown_once_stored_hashed_and_record_their_last_use(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var created = await app.PostAsync<CreatedApiKey>("/api/keys", new { name = "website", scope = "Ingest" });
        Assert.StartsWith(created.Key.Prefix, created.Secret);

        var website = app.Anonymous();
        website.DefaultRequestHeaders.Authorization = new("Bearer", created.Secret);
        await website.PostAsJsonAsync("/api/touches:batch", new { touches = Array.Empty<object>() }, Ct);

        var listed = await app.Client.GetStringAsync("/api/keys", Ct);
        Assert.DoesNotContain(created.Secret, listed);
        await using var db = app.Db.Open();
        var stored = db.ApiKeys.Single(k => k.Id == created.Key.Id);
        Assert.Equal(ApiKeySecrets.Hash(created.Secret), stored.Hash);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, stored.LastUsedAt);
        Assert.DoesNotContain(db.Activity.ToList(), a => a.Detail?.Contains(stored.Hash) == true);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_role_acting_beyond_its_rights_gets_403_and_the_attempt_is_recorded(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (viewerId, viewer) = await app.SignInAsNewAsync(Role.Viewer);

        var res = await viewer.Client.PostAsJsonAsync("/api/people", new { email = "x@acme.com" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        var denied = await app.GetAsync<Page<ActivityDto>>("/api/activity?kind=access.denied");
        var entry = Assert.Single(denied.Items);
        Assert.Equal($"user:{viewerId}", entry.Actor);
        Assert.Contains("/api/people", entry.Detail);
        Assert.Equal(0, (await app.GetAsync<Page<PersonDto>>("/api/people")).Total);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Repeated_refusals_fold_into_one_row_a_minute_with_a_count(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (viewerId, viewer) = await app.SignInAsNewAsync(Role.Viewer);

        for (var i = 0; i < 50; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Client.PostAsJsonAsync("/api/people", new { email = "x@acme.com" }, Ct)).StatusCode);
        var first = Assert.Single((await app.GetAsync<Page<ActivityDto>>("/api/activity?kind=access.denied")).Items);
        Assert.Contains("\"count\":50", first.Detail);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await viewer.Client.PostAsJsonAsync("/api/people", new { email = "x@acme.com" }, Ct);
        var rows = (await app.GetAsync<Page<ActivityDto>>("/api/activity?kind=access.denied")).Items;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal($"user:{viewerId}", r.Actor));
        Assert.Contains(rows, r => r.Detail!.Contains("\"count\":1"));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_rep_changes_their_own_lead_but_not_another_reps(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (annId, ann) = await app.SignInAsNewAsync(Role.SalesRep);
        var (bobId, _) = await app.SignInAsNewAsync(Role.SalesRep);
        var mine = await app.PostAsync<PersonDto>("/api/people", new { email = "mine@acme.com", ownerId = annId });
        var bobs = await app.PostAsync<PersonDto>("/api/people", new { email = "bobs@acme.com", ownerId = bobId });

        var ok = await ann.Client.PostAsJsonAsync($"/api/people/{mine.Id}/stage", new { to = "SAL" }, Ct);
        var no = await ann.Client.PostAsJsonAsync($"/api/people/{bobs.Id}/stage", new { to = "SAL" }, Ct);
        var steal = await ann.Client.PutAsJsonAsync($"/api/people/{mine.Id}", new { email = mine.Email, ownerId = bobId, version = 2 }, Ct);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("not yours", (await Problem.ReadAsync(no, HttpStatusCode.Forbidden)).Detail);
        Assert.Equal(HttpStatusCode.Forbidden, steal.StatusCode);
        Assert.Equal(LifecycleStage.Inquiry, (await app.GetAsync<PersonDto>($"/api/people/{bobs.Id}")).Stage);
        Assert.Equal(2, (await app.GetAsync<Page<ActivityDto>>("/api/activity?kind=access.denied")).Total);
        var created = await ann.Client.PostAsJsonAsync("/api/people", new { email = "new@acme.com" }, Ct);
        Assert.Equal(annId, (await created.Content.ReadFromJsonAsync<PersonDto>(TestApp.Json, Ct))!.OwnerId);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_forged_form_post_without_an_antiforgery_token_is_refused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddUserAsync("admin@tandem.test", Role.Admin);
        using var browser = app.NewBrowser();

        var forged = await browser.PostFormAsync("/account/login", new() { ["email"] = "admin@tandem.test", ["password"] = Browser.Password });

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/people", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_flood_of_ingestion_gets_429_with_retry_after_while_others_carry_on(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, limits: new RateLimits(IngestPerMinute: 5));
        var flooder = await app.ClientWithKeyAsync(KeyScope.Ingest);
        var other = await app.ClientWithKeyAsync(KeyScope.Ingest);
        var empty = new { touches = Array.Empty<object>() };

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++) answers.Add(await flooder.PostAsJsonAsync("/api/touches:batch", empty, Ct));

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, r => Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single()) > 0));
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync("/api/touches:batch", empty, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await flooder.GetAsync("/healthz", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Sign_out_ends_the_session_and_a_password_change_is_logged_without_the_secret(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (id, admin) = await app.SignInAsNewAsync(Role.Admin);
        var changed = await admin.PostFormAsync("/account/password", new() { ["current"] = Browser.Password, ["next"] = "a much longer passphrase" }, tokenFrom: "/account/login");
        Assert.Contains("changed=1", changed.Headers.Location!.OriginalString);

        await admin.PostFormAsync("/account/logout", new(), tokenFrom: "/account/login");
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync("/api/people", Ct)).StatusCode);

        var log = await app.Client.GetStringAsync($"/api/activity?subjectKind=User&subjectId={id}", Ct);
        Assert.Contains("passwordHash", log);
        Assert.DoesNotContain("AQAAAA", log); // the prefix of every Identity v3 password hash
    }

    [Fact]
    public async Task A_refused_admin_page_is_logged_with_the_permission_that_was_missing()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var (_, rep) = await app.SignInAsNewAsync(Role.SalesRep);

        var res = await rep.Client.GetAsync("/admin/audit", Ct);

        Assert.StartsWith("/account/denied", res.Headers.Location!.PathAndQuery);
        var denied = await app.GetAsync<Page<ActivityDto>>("/api/activity?kind=access.denied");
        Assert.Contains("needs the admin permission", Assert.Single(denied.Items).Detail);
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var res = await app.Anonymous().GetAsync("/account/login", Ct);
        Assert.Equal("nosniff", res.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", res.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", res.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Pages_send_anonymous_visitors_to_sign_in_and_the_api_answers_401()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var page = await app.Anonymous().GetAsync("/people", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery);
        await Problem.ReadAsync(await app.Anonymous().GetAsync("/api/people", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/healthz", Ct)).StatusCode);
    }
}
