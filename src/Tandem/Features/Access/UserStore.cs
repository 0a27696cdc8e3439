using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.People;
using Tandem.Features.Users;

namespace Tandem.Features.Access;

/// <summary>
/// ASP.NET Core Identity over Tandem's own <see cref="User"/>: a sign-in account is a team member with a password,
/// not a second table to keep in step. Email is the user name. Disabled users (IsActive = false) cannot sign in.
/// </summary>
public sealed class UserStore(TandemDb db) : IUserPasswordStore<User>, IUserEmailStore<User>, IUserLockoutStore<User>,
    IUserSecurityStampStore<User>
{
    public Task<string> GetUserIdAsync(User user, CancellationToken ct) => Task.FromResult(user.Id.ToString());
    public Task<string?> GetUserNameAsync(User user, CancellationToken ct) => Task.FromResult<string?>(user.Email);
    public Task SetUserNameAsync(User user, string? userName, CancellationToken ct) => Task.CompletedTask;
    public Task<string?> GetNormalizedUserNameAsync(User user, CancellationToken ct) => Task.FromResult<string?>(user.Email.ToUpperInvariant());
    public Task SetNormalizedUserNameAsync(User user, string? normalizedName, CancellationToken ct) => Task.CompletedTask;

    public async Task<IdentityResult> CreateAsync(User user, CancellationToken ct)
    {
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(User user, CancellationToken ct)
    {
        if (!await db.TrySaveAsync(ct))
            return IdentityResult.Failed(new IdentityError { Code = "Concurrency", Description = "The user was changed meanwhile." });
        return IdentityResult.Success;
    }

    public Task<IdentityResult> DeleteAsync(User user, CancellationToken ct) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "NoDelete", Description = "Users are disabled, not deleted." }));

    public async Task<User?> FindByIdAsync(string userId, CancellationToken ct) =>
        int.TryParse(userId, out var id) ? await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) : null;

    public Task<User?> FindByNameAsync(string normalizedUserName, CancellationToken ct) => FindByEmailAsync(normalizedUserName, ct);

    public Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken ct)
    {
        var email = EmailAddress.Normalize(normalizedEmail);
        return db.Users.FirstOrDefaultAsync(u => u.Email == email, ct);
    }

    public Task SetPasswordHashAsync(User user, string? passwordHash, CancellationToken ct) { user.PasswordHash = passwordHash; return Task.CompletedTask; }
    public Task<string?> GetPasswordHashAsync(User user, CancellationToken ct) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(User user, CancellationToken ct) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(User user, string? email, CancellationToken ct) { user.Email = EmailAddress.Normalize(email!); return Task.CompletedTask; }
    public Task<string?> GetEmailAsync(User user, CancellationToken ct) => Task.FromResult<string?>(user.Email);
    public Task<bool> GetEmailConfirmedAsync(User user, CancellationToken ct) => Task.FromResult(true);
    public Task SetEmailConfirmedAsync(User user, bool confirmed, CancellationToken ct) => Task.CompletedTask;
    public Task<string?> GetNormalizedEmailAsync(User user, CancellationToken ct) => Task.FromResult<string?>(user.Email.ToUpperInvariant());
    public Task SetNormalizedEmailAsync(User user, string? normalizedEmail, CancellationToken ct) => Task.CompletedTask;

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(User user, CancellationToken ct) =>
        Task.FromResult(user.LockoutEnd is { } end ? new DateTimeOffset(end, TimeSpan.Zero) : (DateTimeOffset?)null);
    public Task SetLockoutEndDateAsync(User user, DateTimeOffset? lockoutEnd, CancellationToken ct) { user.LockoutEnd = lockoutEnd?.UtcDateTime; return Task.CompletedTask; }
    public Task<int> IncrementAccessFailedCountAsync(User user, CancellationToken ct) => Task.FromResult(++user.AccessFailedCount);
    public Task ResetAccessFailedCountAsync(User user, CancellationToken ct) { user.AccessFailedCount = 0; return Task.CompletedTask; }
    public Task<int> GetAccessFailedCountAsync(User user, CancellationToken ct) => Task.FromResult(user.AccessFailedCount);
    public Task<bool> GetLockoutEnabledAsync(User user, CancellationToken ct) => Task.FromResult(true);
    public Task SetLockoutEnabledAsync(User user, bool enabled, CancellationToken ct) => Task.CompletedTask;

    public Task SetSecurityStampAsync(User user, string stamp, CancellationToken ct) { user.SecurityStamp = stamp; return Task.CompletedTask; }
    public Task<string?> GetSecurityStampAsync(User user, CancellationToken ct) => Task.FromResult(user.SecurityStamp);

    public void Dispose() { }
}
