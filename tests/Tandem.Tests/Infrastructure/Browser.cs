using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;

namespace Tandem.Tests.Infrastructure;

/// <summary>
/// What a browser does, minus the rendering: keeps cookies, reads the antiforgery token from a page's form and
/// posts forms back. Used to sign in for real in API tests.
/// </summary>
public sealed partial class Browser : IDisposable
{
    public const string Password = "correct horse battery";

    public HttpClient Client { get; }

    public Browser(TestServer server) : this(server, new CookieContainer()) { }

    /// <summary>A browser on <paramref name="server"/> keeping its cookies in <paramref name="cookies"/>: give several servers
    /// the same jar and it is one browser behind a load balancer (every test server answers as http://localhost/).</summary>
    public Browser(TestServer server, CookieContainer cookies)
    {
        Client = new HttpClient(new CookieHandler(cookies) { InnerHandler = server.CreateHandler() }) { BaseAddress = server.BaseAddress };
    }

    public async Task<string> AntiforgeryTokenAsync(string page)
    {
        var html = await Client.GetStringAsync(page);
        var m = TokenInput().Match(html);
        Assert.True(m.Success, $"no antiforgery token on {page}");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? tokenFrom = null)
    {
        if (tokenFrom is not null) fields["__RequestVerificationToken"] = await AntiforgeryTokenAsync(tokenFrom);
        return await Client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/account/login", new() { ["email"] = email, ["password"] = password }, tokenFrom: "/account/login");

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var uri = request.RequestUri!;
            if (cookies.GetCookieHeader(uri) is { Length: > 0 } header) request.Headers.Add("Cookie", header);
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var c in set) cookies.SetCookies(uri, c);
            return response;
        }
    }
}
