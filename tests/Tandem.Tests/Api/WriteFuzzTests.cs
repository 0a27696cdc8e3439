using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Tandem.Tests.Api;

/// <summary>
/// Every write operation in the served OpenAPI document gets seeded random bodies (fields of its schema filled with
/// values of the wrong type, out of range, huge, NUL-laden, nested or null) and must never answer 500, nor name a .NET
/// type in its answer. Bounded: a fixed
/// number of bodies per operation, the same every run.
/// </summary>
public class WriteFuzzTests
{
    private const int BodiesPerOperation = 12;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task No_write_operation_answers_500_to_random_bodies(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var doc = JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json", Ct))!;
        var schemas = doc["components"]?["schemas"]?.AsObject();
        var random = new Random(20261202);
        var failures = new List<string>();
        var statuses = new HashSet<int>();

        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                if (method is not ("post" or "put" or "patch" or "delete")) continue;
                var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", _ => random.Next(3) == 0 ? "999999" : "1");
                var fields = Fields(op, schemas);
                for (var i = 0; i < BodiesPerOperation; i++)
                {
                    var body = new JsonObject();
                    foreach (var f in fields) if (random.Next(4) != 0) body[f] = Value(random);
                    using var req = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
                    {
                        Content = new StringContent(random.Next(10) == 0 ? "[null]" : body.ToJsonString(), Encoding.UTF8, "application/json"),
                    };
                    using var res = await app.Client.SendAsync(req, Ct);
                    statuses.Add((int)res.StatusCode);
                    var answer = await res.Content.ReadAsStringAsync(Ct);
                    if (answer.Contains("System.", StringComparison.Ordinal) || answer.Contains("Microsoft.", StringComparison.Ordinal))
                        failures.Add($"names a .NET type: {method.ToUpperInvariant()} {url} → {answer[..Math.Min(300, answer.Length)]}");
                    if (res.StatusCode == HttpStatusCode.InternalServerError)
                        failures.Add($"{method.ToUpperInvariant()} {url} {body.ToJsonString()[..Math.Min(300, body.ToJsonString().Length)]}");
                }
            }
        // The bodies reached the handlers, not only the JSON binder: some were accepted, some refused by validation.
        Assert.Contains(statuses, s => s is >= 200 and < 300);
        Assert.Contains(400, statuses);
        Assert.True(failures.Count == 0, $"{failures.Count} answers were 500 or named a .NET type:\n" + string.Join('\n', failures.Take(20)));
    }

    /// <summary>The property names of the operation's JSON body schema (following one $ref).</summary>
    private static List<string> Fields(JsonNode? op, JsonObject? schemas)
    {
        var schema = op?["requestBody"]?["content"]?["application/json"]?["schema"];
        if (schema?["$ref"]?.GetValue<string>() is { } r) schema = schemas?[r.Split('/')[^1]];
        return schema?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
    }

    private static JsonNode? Value(Random r) => r.Next(14) switch
    {
        0 => null,
        1 => JsonValue.Create(long.MaxValue),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(int.MaxValue),
        4 => JsonValue.Create(1e308),
        5 => JsonValue.Create(new string('x', 5_000)),
        6 => JsonValue.Create("a\0b"),
        7 => JsonValue.Create("0001-01-01T00:00:00Z"),
        8 => JsonValue.Create("9999-12-31T23:59:59Z"),
        9 => new JsonArray(JsonValue.Create(1), null),
        10 => new JsonObject { ["x"] = 1 },
        11 => JsonValue.Create(true),
        12 => JsonValue.Create("=1+2"),
        _ => JsonValue.Create(""),
    };
}
