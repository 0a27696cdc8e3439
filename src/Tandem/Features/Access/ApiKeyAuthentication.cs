using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tandem.Data;

namespace Tandem.Features.Access;

/// <summary>`Authorization: Bearer tdm_…`. Unknown, revoked and expired keys fail with 401 and say which.</summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, TandemDb db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = ApiKeySecrets.Hash(header["Bearer ".Length..].Trim());
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        var now = db.UtcNow;
        if (key is null) return Fail("The API key is not known.");
        if (key.RevokedAt is not null) return Fail("The API key was revoked.");
        if (!key.IsUsableAt(now)) return Fail("The API key has expired.");

        // Record last use at most once a minute: a busy integration should not turn every read into a write.
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);

        var identity = new ClaimsIdentity(Me.ClaimsFor($"api-key:{key.Id}", null, null, Permissions.For(key.Scope)), SchemeName);
        identity.AddClaim(new Claim(ClaimTypes.Name, key.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string why)
    {
        Context.Items[nameof(ApiKeyAuthentication)] = why;
        return AuthenticateResult.Fail(why);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items[nameof(ApiKeyAuthentication)] as string ?? "Send a valid API key as 'Authorization: Bearer <key>'.";
        await Results.Problem(title: "Unauthorized", detail: detail, statusCode: 401).ExecuteAsync(Context);
    }
}
