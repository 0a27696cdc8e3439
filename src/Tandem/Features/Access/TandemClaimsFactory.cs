using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tandem.Features.Users;

namespace Tandem.Features.Access;

/// <summary>A signed-in user's cookie carries their role's permissions from <see cref="Permissions"/>.</summary>
public sealed class TandemClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.GivenName, user.Name));
        identity.AddClaims(Me.ClaimsFor($"user:{user.Id}", user.Id, user.Role, Permissions.For(user.Role)));
        return identity;
    }
}

/// <summary>Disabled users cannot sign in (Identity asks this when RequireConfirmedAccount is on).</summary>
public sealed class ActiveUserConfirmation : IUserConfirmation<User>
{
    public Task<bool> IsConfirmedAsync(UserManager<User> manager, User user) => Task.FromResult(user.IsActive);
}
