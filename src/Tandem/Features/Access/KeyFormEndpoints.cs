using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Components.Admin;
using Tandem.Data;

namespace Tandem.Features.Access;

/// <summary>
/// The API keys page's forms: plain posts, antiforgery-checked by form binding, admin only. They sit beside
/// /api/keys rather than calling it, because a form wants a page or a redirect back, not JSON.
/// </summary>
public static class KeyFormEndpoints
{
    public static WebApplication MapKeyFormEndpoints(this WebApplication app)
    {
        var g = app.MapGroup("/admin/keys").ExcludeFromDescription().RequireAuthorization(Permissions.Admin);
        // The keys page is also routed at /admin/keys and Blazor pages accept POST; the lower order makes the form
        // endpoint win instead of an ambiguous match.
        g.MapPost("/", Create).Add(b => ((RouteEndpointBuilder)b).Order = -1);
        g.MapPost("/{id:int}/revoke", Revoke);
        return app;
    }

    private static async Task<IResult> Create([FromForm] string? name, [FromForm] string? scope, [FromForm] string? expires,
        HttpContext http, TandemDb db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return Back("Give the key a name, for example the integration it is for.");
        if (!Enum.TryParse<KeyScope>(scope, ignoreCase: true, out var s) || !Enum.IsDefined(s)) return Back("Choose a scope.");
        DateTime? expiresAt = null;
        if (!string.IsNullOrWhiteSpace(expires))
        {
            if (!DateOnly.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return Back("The expiry date is not a date.");
            expiresAt = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (expiresAt <= db.UtcNow) return Back("The expiry date is not in the future.");
        }

        db.Actor = http.User.Actor();
        var (key, secret) = ApiKeysApi.Issue(db, name.Trim(), s, expiresAt, http.User.UserId());
        await db.SaveChangesAsync(ct);

        // The secret is in this answer only: rendered straight from the post, never stored or put in an address,
        // and the answer must not be cached or re-shown from history.
        http.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<KeyCreatedDocument>(new { Key = ApiKeyDto.From(key), Secret = secret });
    }

    private static async Task<IResult> Revoke(int id, HttpContext http, TandemDb db, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return Back($"There is no API key {id}.");
        db.Actor = http.User.Actor();
        key.RevokedAt ??= db.UtcNow;
        await db.SaveChangesAsync(ct);
        return Results.LocalRedirect($"/admin/keys?revoked={id}");
    }

    private static IResult Back(string error) => Results.LocalRedirect("/admin/keys?error=" + Uri.EscapeDataString(error));
}
