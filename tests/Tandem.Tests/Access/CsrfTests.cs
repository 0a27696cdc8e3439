using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Tests.Access;

/// <summary>A form or text body that another site could make a signed-in browser send is refused; Tandem's own forms and JSON pass.</summary>
public class CsrfTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Writes_with_the_sign_in_cookie_need_a_Tandem_form_token_or_a_JSON_body(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, admin) = await app.SignInAsNewAsync(Role.Admin);
        async Task<int> KeyAsync(string name)
        {
            await using var db = app.Db.Open(app.Clock);
            var (key, _) = ApiKeysApi.Issue(db, name, KeyScope.Read, null, null);
            await db.SaveChangesAsync(Ct);
            return key.Id;
        }
        async Task<bool> RevokedAsync(int id)
        {
            await using var db = app.Db.Open(app.Clock);
            return await db.ApiKeys.AnyAsync(k => k.Id == id && k.RevokedAt != null, Ct);
        }
        var a = await KeyAsync("a");

        // What a hostile page can make the browser send: forms and plain text, with the cookie, without the token.
        var forged = new HttpContent[]
        {
            new FormUrlEncodedContent(new Dictionary<string, string>()),
            new StringContent("x", Encoding.UTF8, "text/plain"),
        };
        foreach (var body in forged)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostAsync($"/admin/keys/{a}/revoke", body, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostAsync($"/api/keys/{a}/revoke", body, Ct)).StatusCode);
        }
        Assert.False(await RevokedAsync(a));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostAsync("/account/logout", new FormUrlEncodedContent([]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/api/people", Ct)).StatusCode); // still signed in

        // Tandem's own page form (token included) and a JSON request from the same session work.
        var viaPage = await admin.PostFormAsync($"/admin/keys/{a}/revoke", [], tokenFrom: "/admin/keys");
        Assert.Equal(HttpStatusCode.Redirect, viaPage.StatusCode);
        Assert.True(await RevokedAsync(a));
        var b = await KeyAsync("b");
        (await admin.Client.PostAsJsonAsync($"/api/keys/{b}/revoke", new { }, Ct)).EnsureSuccessStatusCode();
        Assert.True(await RevokedAsync(b));
        // An API key is not a cookie: nothing to forge.
        var c = await KeyAsync("c");
        (await app.Client.PostAsync($"/api/keys/{c}/revoke", null, Ct)).EnsureSuccessStatusCode();
    }
}
