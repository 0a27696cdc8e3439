using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.TestHost;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Users;

namespace Tandem.Tests.Infrastructure;

/// <summary>The real web application on an in-memory test server over a fresh database.</summary>
public sealed class TestApp : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public required TestDb Db { get; init; }
    public required WebApplication App { get; init; }
    public required HttpClient Client { get; init; }
    public required FakeTimeProvider Clock { get; init; }

    /// <summary>The API key <see cref="Client"/> sends: admin scope, so tests of features are not about access.</summary>
    public required string AdminKey { get; init; }

    private bool OwnsDb { get; init; } = true;

    /// <param name="configure">Extra setup before the app is built, such as settings: <c>b => b.Configuration.AddInMemoryCollection(…)</c>.</param>
    public static async Task<TestApp> StartAsync(string provider, DateTimeOffset? now = null, RateLimits? limits = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        return await StartOnAsync(await TestDb.CreateAsync(provider, clock), clock, limits, configure, ownsDb: true);
    }

    /// <summary>Starts the app on an existing database: a restart, as after a crash or a deploy. The database outlives this app
    /// unless <paramref name="ownsDb"/>.</summary>
    public static async Task<TestApp> StartOnAsync(TestDb db, FakeTimeProvider clock, RateLimits? limits = null,
        Action<WebApplicationBuilder>? configure = null, bool ownsDb = false)
    {
        var app = TandemHost.Build(new HostOptions(db.Storage, Clock: clock, Quiet: true)
        {
            Configure = b =>
            {
                b.WebHost.UseTestServer();
                // Tests that need the re-evaluation pass run it themselves (ReevaluationRunner.RunOnceAsync), so a pass
                // started by the clock cannot race a test's own steps.
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Reevaluation:RunInBackground"] = "false",
                    // Tests decide when Insight's facts are first read; a warm-up at start would read them at its own time.
                    ["Cadence:WarmLivePage"] = "false",
                });
                configure?.Invoke(b);
            },
            Limits = limits ?? new RateLimits(),
        });
        await app.StartAsync();
        var key = await IssueKeyAsync(db, clock, KeyScope.Admin);
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new TestApp { Db = db, App = app, Client = client, Clock = clock, AdminKey = key, OwnsDb = ownsDb };
    }

    private static async Task<string> IssueKeyAsync(TestDb db, TimeProvider clock, KeyScope scope, DateTime? expiresAt = null)
    {
        await using var ctx = db.Open(clock);
        var (_, secret) = ApiKeysApi.Issue(ctx, $"test {scope}", scope, expiresAt, null);
        await ctx.SaveChangesAsync();
        return secret;
    }

    /// <summary>A client that sends a fresh key of the given scope.</summary>
    public async Task<HttpClient> ClientWithKeyAsync(KeyScope scope, DateTime? expiresAt = null)
    {
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await IssueKeyAsync(Db, Clock, scope, expiresAt));
        return client;
    }

    public HttpClient Anonymous() => App.GetTestClient();

    public Browser NewBrowser() => new(App.GetTestServer());

    /// <summary>Creates a user with a password; returns its id.</summary>
    public async Task<int> AddUserAsync(string email, Role role, string password = Browser.Password)
    {
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { Name = email.Split('@')[0], Email = email, Role = role };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    /// <summary>A cookie-keeping client signed in through the real sign-in form (antiforgery token included).</summary>
    public async Task<Browser> SignInAsync(string email, string password = Browser.Password)
    {
        var browser = new Browser(App.GetTestServer());
        var res = await browser.SignInAsync(email, password);
        Assert.True(res.Headers.Location?.OriginalString == "/", $"sign-in as {email} failed: {res.StatusCode} {res.Headers.Location}");
        return browser;
    }

    public async Task<(int Id, Browser Browser)> SignInAsNewAsync(Role role)
    {
        var email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..20] + "@tandem.test";
        var id = await AddUserAsync(email, role);
        return (id, await SignInAsync(email));
    }

    public async Task<T> GetAsync<T>(string url)
    {
        var res = await Client.GetAsync(url);
        Assert.True(res.IsSuccessStatusCode, $"GET {url} answered {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
        return (await res.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async Task<T> PostAsync<T>(string url, object body)
    {
        var res = await Client.PostAsJsonAsync(url, body, Json);
        Assert.True(res.IsSuccessStatusCode, $"POST {url} answered {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
        return (await res.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (OwnsDb) await Db.DisposeAsync();
    }
}
