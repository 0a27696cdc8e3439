using System.Security.Claims;
using Tandem.Data;

namespace Tandem.Features.Access;

/// <summary>Reads who is acting from the principal the sign-in cookie or API key produced.</summary>
public static class Me
{
    public const string ActorClaim = "actor";
    public const string UserIdClaim = "uid";

    /// <summary>"user:12" or "api-key:3"; "anonymous" when nobody is signed in.</summary>
    public static string Actor(this ClaimsPrincipal p) => p.FindFirstValue(ActorClaim) ?? "anonymous";

    public static int? UserId(this ClaimsPrincipal p) => int.TryParse(p.FindFirstValue(UserIdClaim), out var id) ? id : null;

    public static Role? Role(this ClaimsPrincipal p) => Enum.TryParse<Role>(p.FindFirstValue(ClaimTypes.Role), out var r) ? r : null;

    public static bool Has(this ClaimsPrincipal p, string permission) => p.HasClaim(Permissions.Claim, permission);

    /// <summary>Claims shared by both ways of signing in.</summary>
    public static List<Claim> ClaimsFor(string actor, int? userId, Role? role, IEnumerable<string> permissions)
    {
        var claims = new List<Claim> { new(ActorClaim, actor) };
        if (userId is not null) claims.Add(new Claim(UserIdClaim, userId.Value.ToString()));
        if (role is not null) claims.Add(new Claim(ClaimTypes.Role, role.Value.ToString()));
        claims.AddRange(permissions.Select(x => new Claim(Permissions.Claim, x)));
        return claims;
    }
}
