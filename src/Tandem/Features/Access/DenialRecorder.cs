using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Activity;

namespace Tandem.Features.Access;

/// <summary>
/// Every 403 is written to the activity log: who tried what. Trust rests on seeing refused attempts too. Repeats of the
/// same refusal (same caller, method, path and reason) within one clock minute fold into the minute's first row, whose
/// <c>count</c> goes up, so a script hammering a forbidden address cannot flood the log (one row a minute per server).
/// </summary>
public sealed class DenialRecorder : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext http, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden)
        {
            // Name the requirement that failed: a page can need both 'read' (every page) and 'admin'.
            var failed = result.AuthorizationFailure?.FailedRequirements ?? policy.Requirements;
            var needed = failed.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>()
                .SelectMany(r => r.AllowedValues ?? []).FirstOrDefault();
            await RecordAsync(http, $"needs the {needed} permission");
        }
        await _default.HandleAsync(next, http, policy, result);
    }

    // Per server (this object is a singleton), not per process: tests run several servers in one process.
    private readonly ConcurrentDictionary<string, (long Minute, long RowId, int Count)> _recent = new(StringComparer.Ordinal);

    public static Task RecordAsync(HttpContext http, string why) => http.RequestServices.GetRequiredService<DenialRecorder>().WriteAsync(http, why);

    private async Task WriteAsync(HttpContext http, string why)
    {
        var db = http.RequestServices.GetRequiredService<TandemDb>();
        var (actor, method, path, now) = (http.User.Actor(), http.Request.Method, http.Request.Path.Value, db.UtcNow);
        var minute = now.Ticks / TimeSpan.TicksPerMinute;
        var key = string.Join('\n', actor, method, path, why);
        if (_recent.TryGetValue(key, out var seen) && seen.Minute == minute)
        {
            var folded = _recent.AddOrUpdate(key, seen, (_, s) => s with { Count = s.Count + 1 });
            if (await db.Activity.Where(a => a.Id == folded.RowId)
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.Detail, Detail(method, path, why, folded.Count)), http.RequestAborted) > 0)
                return;
        }
        var row = new ActivityEntry
        {
            At = now, Actor = actor, SubjectKind = SubjectKind.Access, SubjectId = 0, Kind = "access.denied", Detail = Detail(method, path, why, 1),
        };
        db.Activity.Add(row);
        await db.SaveChangesAsync(http.RequestAborted);
        if (_recent.Count > 10_000) _recent.Clear(); // only the current minute matters
        _recent[key] = (minute, row.Id, 1);
    }

    private static string Detail(string method, string? path, string why, int count) =>
        System.Text.Json.JsonSerializer.Serialize(new { method, path, why, count });
}
