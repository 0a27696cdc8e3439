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

    private static string Clean(string message) => message.Split(" Path:")[0].Split(" LineNumber:")[0];
}
