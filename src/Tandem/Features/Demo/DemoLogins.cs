using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Users;

namespace Tandem.Features.Demo;

/// <summary>
/// `serve --demo` lets a newcomer sign in as each role: the first generated user of each role gets the demo
/// password and is marked <see cref="User.IsDemo"/>. Only demo mode calls this, so no other installation has them.
/// The rep chosen owns real demo leads, so "their" pages are not empty.
/// </summary>
public static class DemoLogins
{
    public const string Password = "tandem-demo";

    public static async Task<IReadOnlyList<(Role Role, string Email)>> EnsureAsync(IServiceProvider services, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        db.Actor = "demo";
        var logins = new List<(Role, string)>();
        foreach (var role in Enum.GetValues<Role>())
        {
            var user = await db.Users.Where(u => u.Role == role && u.IsActive).OrderByDescending(u => u.IsDemo).ThenBy(u => u.Id).FirstOrDefaultAsync(ct);
            if (user is null) continue;
            if (!user.IsDemo || user.PasswordHash is null)
            {
                user.IsDemo = true;
                var result = await users.AddPasswordAsync(user, Password);
                if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
            logins.Add((role, user.Email));
        }
        return logins;
    }

    public static string Describe(IEnumerable<(Role Role, string Email)> logins) =>
        $"Sign in with any of these demo users, password '{Password}':\n" +
        string.Join('\n', logins.Select(l => $"  {l.Role,-13} {l.Email}"));
}
