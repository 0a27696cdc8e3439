using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Tandem.Api;

/// <summary>
/// Turns the failures a client can cause into ProblemDetails that say what to fix: a malformed JSON body
/// names the field (its JSON path), a lost race on a record is a 409, and a unique-key race is a 409.
/// Anything else stays a 500 without internals.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception ex, CancellationToken ct)
    {
        var (status, title, detail, field) = ex switch
        {
            BadHttpRequestException { InnerException: JsonException j } => (400, "The request body is not valid JSON for this operation.",
                Clean(j.Message), FieldOf(j.Path)),
            BadHttpRequestException b => (b.StatusCode, "The request is malformed.", b.Message, null),
            DbUpdateConcurrencyException => (409, "The record was changed by someone else.",
                "Another change to the same record was saved first. Reload it and apply your change again.", "version"),
            DbUpdateException => (409, "Conflict", "The change conflicts with a record saved at the same time (for example the same email or external id).", null),
            Features.Insight.InsightBehindException behind => (503, "Analytics are catching up.", behind.Message, null),
            _ => (0, "", "", (string?)null),
        };
        if (status == 0) return false;
        http.Response.StatusCode = status;
        var pd = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null) pd.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = pd, Exception = ex });
    }

    /// <summary>"$.touches[3].occurredAt" → "touches[3].occurredAt".</summary>
    private static string? FieldOf(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    /// <summary>The serializer's message without its position suffix, and with the .NET type it names in words a client
    /// understands ("a list", "a number", "one of FormFill, DemoRequest, …"): type names are internals.</summary>
    private static string Clean(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message.Split(" Path:")[0].Split(" LineNumber:")[0],
            @"could not be converted to ([\w.`\[\], +]+?)\.?$", m => "has the wrong type: expected " + Describe(m.Groups[1].Value) + ".");

    private static string Describe(string type)
    {
        var name = type.Replace("System.Nullable`1[", "").TrimEnd(']');
        if (name.Contains("Dictionary", StringComparison.Ordinal)) return "an object of text values";
        if (name.Contains("List`1", StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal)) return "a list";
        if (name is "System.String") return "text";
        if (name is "System.Boolean") return "true or false";
        if (name is "System.DateTime" or "System.DateTimeOffset") return "a date and time (ISO 8601, for example 2026-03-01T10:00:00Z)";
        if (name is "System.DateOnly") return "a date (yyyy-MM-dd)";
        if (name.StartsWith("System.Int", StringComparison.Ordinal) || name is "System.Double" or "System.Decimal" or "System.Single") return "a number";
        if (typeof(ApiExceptionHandler).Assembly.GetType(name) is { IsEnum: true } e) return "one of " + string.Join(", ", Enum.GetNames(e));
        return "an object with the documented fields";
    }
}
