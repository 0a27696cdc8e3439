using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;

namespace Tandem.Tests.Infrastructure;

/// <summary>The real web application on an in-memory test server over a fresh database.</summary>
public sealed class TestApp : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public required TestDb Db { get; init; }
    public required WebApplication App { get; init; }
    public required HttpClient Client { get; init; }
    public required FakeTimeProvider Clock { get; init; }

    public static async Task<TestApp> StartAsync(string provider, DateTimeOffset? now = null)
    {
        var clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var db = await TestDb.CreateAsync(provider, clock);
        var app = TandemHost.Build(new HostOptions(db.Storage, Clock: clock, Quiet: true)
        {
            Configure = b => b.WebHost.UseTestServer(),
        });
        await app.StartAsync();
        return new TestApp { Db = db, App = app, Client = app.GetTestClient(), Clock = clock };
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
        await Db.DisposeAsync();
    }
}
