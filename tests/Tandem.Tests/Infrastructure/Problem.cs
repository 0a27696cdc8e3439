using System.Net;
using System.Text.Json;

namespace Tandem.Tests.Infrastructure;

/// <summary>Reads a ProblemDetails answer so tests can assert which field it names.</summary>
public sealed record Problem(int Status, string? Title, string? Detail, Dictionary<string, string[]> Errors)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"expected {(int)expected}, got {(int)res.StatusCode}: {body}");
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var errors = new Dictionary<string, string[]>();
        if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            foreach (var p in e.EnumerateObject())
                errors[p.Name] = p.Value.EnumerateArray().Select(x => x.GetString()!).ToArray();
        return new Problem(root.GetProperty("status").GetInt32(), root.TryGetProperty("title", out var t) ? t.GetString() : null,
            root.TryGetProperty("detail", out var d) ? d.GetString() : null, errors);
    }

    /// <summary>Asserts a 400 ValidationProblem naming <paramref name="field"/>.</summary>
    public static async Task<Problem> AssertFieldAsync(HttpResponseMessage res, string field)
    {
        var p = await ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.True(p.Errors.ContainsKey(field), $"expected an error on '{field}', got: {string.Join(", ", p.Errors.Keys)}");
        return p;
    }
}
