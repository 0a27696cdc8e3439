using Microsoft.AspNetCore.Antiforgery;

namespace Tandem.Features.Access;

/// <summary>
/// Cross-site request forgery. A browser attaches the sign-in cookie to any form another site posts here, so a write made
/// with the cookie must prove it came from a Tandem page: either a JSON body (a browser sends one across sites only after
/// a CORS preflight, which Tandem never allows) or the antiforgery token every Tandem form carries. This covers forms
/// without fields (sign out, revoke a key), which form binding does not check, and form or text bodies sent to the API.
/// Only POST is checked: PUT, PATCH and DELETE cannot be sent across sites without a preflight. It runs after
/// authorization, so a caller without the permission still gets 403. Writes with an API key carry no cookie.
/// </summary>
public static class CsrfGuard
{
    public static IApplicationBuilder UseCsrfGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsPost(http.Request.Method)
            || http.User.Identity is not { IsAuthenticated: true } who || who.AuthenticationType == ApiKeyAuthentication.SchemeName
            || IsJson(http.Request.ContentType)
            || await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await Results.Problem(statusCode: 400, title: "Not sent by a Tandem page",
            detail: "A change made with the sign-in cookie must be a JSON request or a form from a Tandem page (its antiforgery token is " +
                    "missing or out of date). Reload the page and send it again; integrations use an API key.").ExecuteAsync(http);
    });

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                                    || contentType.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
