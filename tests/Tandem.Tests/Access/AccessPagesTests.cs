using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Tests.Access;

/// <summary>The API keys page's form endpoints, driven as a browser would: signed-in cookie plus the page's antiforgery token.</summary>
public partial class AccessPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_admin_creates_a_key_through_the_form_and_sees_its_secret_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (adminId, admin) = await app.SignInAsNewAsync(Role.Admin);

        var res = await admin.PostFormAsync("/admin/keys", new() { ["name"] = "Website forms", ["scope"] = "Ingest", ["expires"] = "2026-06-01" },
            tokenFrom: "/admin/keys");

        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Contains("no-store", res.Headers.CacheControl?.ToString());
        var html = await res.Content.ReadAsStringAsync(Ct);
        Assert.Contains("it will not be shown again", html);
        var secret = Secret().Match(html).Value;
        Assert.StartsWith(ApiKeySecrets.Marker, secret);

        await using (var db = app.Db.Open())
        {
            var key = await db.ApiKeys.SingleAsync(k => k.Name == "Website forms", Ct);
            Assert.Equal((KeyScope.Ingest, adminId, new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc)), (key.Scope, key.CreatedByUserId, key.ExpiresAt!.Value));
            Assert.Equal(ApiKeySecrets.Hash(secret), key.Hash);
            Assert.True(await db.Activity.AnyAsync(a => a.Kind == "apikey.created" && a.SubjectId == key.Id && a.Actor == $"user:{adminId}", Ct));
        }

        // Shown once: the list names the key by its prefix only.
        var list = await admin.Client.GetStringAsync("/admin/keys", Ct);
        Assert.Contains("Website forms", list);
        Assert.Contains(ApiKeySecrets.PrefixOf(secret), list);
        Assert.DoesNotContain(secret, list);

        var website = app.Anonymous();
        website.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await website.PostAsync("/api/touches:batch", JsonBody("{\"touches\":[]}"), Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_viewer_posting_the_key_form_is_refused_and_the_attempt_recorded(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (viewerId, viewer) = await app.SignInAsNewAsync(Role.Viewer);

        // Any page's token will do: the viewer cannot open the keys page to take one from there.
        var res = await viewer.PostFormAsync("/admin/keys", new() { ["name"] = "sneaky", ["scope"] = "Admin" }, tokenFrom: "/account/password");

        // A browser form gets the friendly denied page, itself answered with 403.
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.StartsWith("/account/denied", res.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        var page = await viewer.Client.GetAsync(res.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Your role (<strong>Viewer</strong>) cannot manage API keys", await page.Content.ReadAsStringAsync(Ct));

        await using var db = app.Db.Open();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "sneaky", Ct));
        Assert.True(await db.Activity.AnyAsync(a => a.Kind == "access.denied" && a.Actor == $"user:{viewerId}", Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Revoking_through_the_form_stops_the_key_and_only_admins_may(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, admin) = await app.SignInAsNewAsync(Role.Admin);
        var (_, viewer) = await app.SignInAsNewAsync(Role.Viewer);
        var created = await admin.PostFormAsync("/admin/keys", new() { ["name"] = "Old CRM sync", ["scope"] = "Read" }, tokenFrom: "/admin/keys");
        var secret = Secret().Match(await created.Content.ReadAsStringAsync(Ct)).Value;
        int id;
        await using (var db = app.Db.Open()) id = (await db.ApiKeys.SingleAsync(k => k.Name == "Old CRM sync", Ct)).Id;
        var integration = app.Anonymous();
        integration.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync("/api/people", Ct)).StatusCode);

        var refused = await viewer.PostFormAsync($"/admin/keys/{id}/revoke", [], tokenFrom: "/account/password");
        Assert.StartsWith("/account/denied", refused.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync("/api/people", Ct)).StatusCode);

        var revoked = await admin.PostFormAsync($"/admin/keys/{id}/revoke", [], tokenFrom: "/admin/keys");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal($"/admin/keys?revoked={id}", revoked.Headers.Location!.OriginalString);
        Assert.Contains("revoked", (await Problem.ReadAsync(await integration.GetAsync("/api/people", Ct), HttpStatusCode.Unauthorized)).Detail);
        Assert.Contains($"Key {id} is revoked", await admin.Client.GetStringAsync(revoked.Headers.Location, Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_key_form_without_its_antiforgery_token_is_rejected(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, admin) = await app.SignInAsNewAsync(Role.Admin);

        var res = await admin.PostFormAsync("/admin/keys", new() { ["name"] = "forged", ["scope"] = "Admin" });

        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        await using var db = app.Db.Open();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "forged", Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_key_form_with_a_past_expiry_goes_back_with_the_reason(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, admin) = await app.SignInAsNewAsync(Role.Admin);

        var res = await admin.PostFormAsync("/admin/keys", new() { ["name"] = "late", ["scope"] = "Read", ["expires"] = "2020-01-01" }, tokenFrom: "/admin/keys");

        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Contains("The expiry date is not in the future.", await admin.Client.GetStringAsync(res.Headers.Location, Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_password_page_confirms_a_change_and_the_new_password_signs_in(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var email = "pat@tandem.test";
        await app.AddUserAsync(email, Role.Marketing);
        using var pat = await app.SignInAsync(email);

        var res = await pat.PostFormAsync("/account/password", new() { ["current"] = Browser.Password, ["next"] = "a brand new passphrase" },
            tokenFrom: "/account/password");

        Assert.Equal("/account/password?changed=1", res.Headers.Location!.OriginalString);
        Assert.Contains("Your password is changed.", await pat.Client.GetStringAsync(res.Headers.Location, Ct));
        using var again = await app.SignInAsync(email, "a brand new passphrase");
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex("tdm_[A-Za-z0-9_-]{20,}")]
    private static partial Regex Secret();
}
