using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>Tandem's own path for the same rows: the service behind touches:batch, and the real app over HTTP.</summary>
internal static class TandemIngest
{
    public const int BatchSize = TouchIngestor.MaxBatch;

    /// <summary>What a client does: one context per batch, as each request gets its own scope.</summary>
    public static async Task<TimeSpan> ServiceAsync(List<List<TouchInput>> batches, string dir)
    {
        var storage = Storage.Sqlite(dir);
        await using (var db = storage.Open()) await Storage.MigrateAsync(db);
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await using var db = storage.Open();
            Check(await new TouchIngestor(db).IngestAsync(batch), batch.Count);
        }
        return clock.Elapsed;
    }

    /// <summary>Kestrel on loopback; bodies are serialized before the clock starts so the client's JSON work is not counted.</summary>
    public static async Task<TimeSpan> HttpAsync(List<List<TouchInput>> batches, string dir)
    {
        var storage = Storage.Sqlite(dir);
        var app = TandemHost.Build(new HostOptions(storage, ["http://127.0.0.1:0"], Quiet: true));
        await TandemHost.MigrateAsync(app.Services);
        await app.StartAsync();
        try
        {
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
            var bodies = batches.Select(b => JsonSerializer.SerializeToUtf8Bytes(new TouchBatch(b), json)).ToList();
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < bodies.Count; i++)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var res = await http.PostAsync("/api/touches:batch", content);
                var text = await res.Content.ReadAsStringAsync();
                if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"touches:batch answered {(int)res.StatusCode}: {text}");
                Check(JsonSerializer.Deserialize<BatchResult>(text, json)!, batches[i].Count);
            }
            return clock.Elapsed;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static void Check(BatchResult r, int expected)
    {
        if (r.Created != expected || r.Errors.Count > 0)
            throw new InvalidOperationException($"Expected {expected} new touches, got {r.Created} and {r.Errors.Count} errors.");
    }
}
