using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tandem.Tests.Api;

/// <summary>
/// The served OpenAPI document must equal the checked-in copy, so every API change is deliberate and reviewed.
/// After an intended change: run with TANDEM_ACCEPT_OPENAPI=1 once to rewrite the copy, and commit it.
/// </summary>
public class OpenApiTests
{
    private static string ApprovedPath([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "openapi.approved.json");

    [Fact]
    public async Task The_served_document_matches_the_checked_in_copy()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var served = Normalize(await app.Client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var path = ApprovedPath();
        if (Environment.GetEnvironmentVariable("TANDEM_ACCEPT_OPENAPI") == "1") await File.WriteAllTextAsync(path, served, TestContext.Current.CancellationToken);

        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with TANDEM_ACCEPT_OPENAPI=1 and commit it.");
        var approved = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        if (approved != served) await File.WriteAllTextAsync(Path.ChangeExtension(path, ".received.json"), served, TestContext.Current.CancellationToken);
        Assert.True(approved == served,
            "The API changed. Compare openapi.received.json with openapi.approved.json; if the change is intended, " +
            "run the tests with TANDEM_ACCEPT_OPENAPI=1 and commit the new copy.");
    }

    [Fact]
    public async Task Every_operation_has_a_name_a_summary_and_a_tag()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var doc = JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var ops = doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Verb: o.Key, Op: o.Value!))).ToList();
        Assert.True(ops.Count >= 25, $"only {ops.Count} operations");
        Assert.Equal("bearer", (string?)doc["components"]!["securitySchemes"]!["ApiKey"]!["scheme"]);
        Assert.NotNull(doc["security"]![0]!["ApiKey"]);
        Assert.All(ops, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)o.Op["operationId"]), $"{o.Verb} {o.Path} has no name");
            Assert.False(string.IsNullOrWhiteSpace((string?)o.Op["summary"]), $"{o.Verb} {o.Path} has no summary");
            Assert.NotEmpty(o.Op["tags"]!.AsArray());
        });
    }

    private static string Normalize(string json) =>
        JsonSerializer.Serialize(JsonNode.Parse(json), new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
}
