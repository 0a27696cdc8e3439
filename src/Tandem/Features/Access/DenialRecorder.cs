using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Tandem.Data;
using Tandem.Features.Activity;

namespace Tandem.Features.Access;

/// <summary>Every 403 is written to the activity log: who tried what. Trust rests on seeing refused attempts too.</summary>
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

    public static async Task RecordAsync(HttpContext http, string why)
    {
        var db = http.RequestServices.GetRequiredService<TandemDb>();
        db.Activity.Add(new ActivityEntry
        {
            At = db.UtcNow, Actor = http.User.Actor(), SubjectKind = SubjectKind.Access, SubjectId = 0, Kind = "access.denied",
            Detail = System.Text.Json.JsonSerializer.Serialize(new { method = http.Request.Method, path = http.Request.Path.Value, why }),
        });
        await db.SaveChangesAsync(http.RequestAborted);
    }
}
