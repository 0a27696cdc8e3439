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

    /// <summary>The same, with the starter lead definition active and an account for every company domain, so each touch is
    /// scored and evaluated for automatic MQL (fit A–D, fast tracks and thresholds all occur).</summary>
    public static async Task<TimeSpan> ScoredAsync(List<List<TouchInput>> batches, string dir)
    {
        var storage = Storage.Sqlite(dir);
        await using (var db = storage.Open())
        {
            await Storage.MigrateAsync(db);
            db.AuditChanges = false;
            db.Accounts.AddRange(Enumerable.Range(0, 1000).Select(i => new Tandem.Features.Accounts.Account
            {
                Name = $"Company {i}", Domain = $"company{i}.example", EmployeeCount = 20 + i * 7, Industry = i % 2 == 0 ? "Software" : "Retail",
            }));
            var content = Tandem.Features.Agreement.StarterDefinition.Content;
            db.LeadDefinitions.Add(new Tandem.Features.Agreement.LeadDefinition
            {
                Number = 1, Status = Tandem.Features.Agreement.DefinitionStatus.Active, Content = content.ToJson(), ContentHash = content.Hash(),
                CreatedBy = "bench",
            });
            await db.SaveChangesAsync();
        }
        var clock = Stopwatch.StartNew();
        var mqls = 0;
        foreach (var batch in batches)
        {
            await using var db = storage.Open();
            var result = await new TouchIngestor(db).IngestAsync(batch);
            Check(result, batch.Count);
            mqls += result.Mqls;
        }
        if (mqls == 0) throw new InvalidOperationException("The scored run made no MQLs; the benchmark would not exercise qualification.");
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
