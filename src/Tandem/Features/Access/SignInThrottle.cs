using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Access;

/// <summary>
/// The per-client-address half of the sign-in lockout (decision 0051); the per-account half is Identity's (5 failures lock
/// the account for 15 minutes). <see cref="MaxFailures"/> failed sign-ins from one address within <see cref="Window"/> refuse
/// every further attempt from it until the oldest ages out, with the same answer as a wrong password. The failures are rows
/// in <c>sign_in_failures</c>, so every server counts the same ones; rows older than the window are pruned as new ones come.
/// </summary>
public static class SignInThrottle
{
    public const int MaxFailures = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>The key an address is counted under (the forwarded client behind <c>--behind-proxy</c>).</summary>
    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static async Task<bool> IsBlockedAsync(TandemDb db, string address, CancellationToken ct)
    {
        var since = db.UtcNow - Window;
        return await db.SignInFailures.CountAsync(f => f.ClientAddress == address && f.At > since, ct) >= MaxFailures;
    }

    public static async Task RecordFailureAsync(TandemDb db, string address, CancellationToken ct)
    {
        var now = db.UtcNow;
        await db.SignInFailures.Where(f => f.At <= now - Window).ExecuteDeleteAsync(ct);
        db.SignInFailures.Add(new SignInFailure { ClientAddress = address.Length > 64 ? address[..64] : address, At = now });
        await db.SaveChangesAsync(ct);
    }
}
