using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.People;
using Tandem.Features.Users;

namespace Tandem.Cli;

/// <summary>`tandem users add|list|disable|set-role`: how an operator bootstraps an installation (the first admin).</summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var cmd = new Command("users", "Manage who can sign in.");
        cmd.Subcommands.Add(Add());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Disable());
        cmd.Subcommands.Add(SetRole());
        return cmd;
    }

    private static Command Add()
    {
        var email = new Option<string>("--email") { Required = true, Description = "Sign-in email." };
        var name = new Option<string?>("--name") { Description = "Display name (default: the email's local part)." };
        var role = new Option<Role>("--role") { Required = true, Description = "Admin, Marketing, SalesManager, SalesRep or Viewer." };
        var password = new Option<string?>("--password") { Description = "Initial password (at least 10 characters). Omitted: one is generated and shown once." };
        var cmd = new Command("add", "Create a user who can sign in, or give an existing team member (e.g. imported) a password.") { email, name, role, password };
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var address = r.GetValue(email)!;
            if (!EmailAddress.IsValid(address)) return Fail($"'{address}' is not a valid email address.");
            var secret = r.GetValue(password) ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
            var existing = await cli.Users.FindByEmailAsync(address);
            var user = existing ?? new User { Name = r.GetValue(name) ?? address.Split('@')[0], Email = EmailAddress.Normalize(address) };
            user.Role = r.GetValue(role);
            user.IsActive = true;
            var result = existing is null ? await cli.Users.CreateAsync(user, secret) : await SetPasswordAsync(cli, user, secret);
            if (!result.Succeeded) return Fail(string.Join(" ", result.Errors.Select(e => e.Description)));
            Console.WriteLine($"{(existing is null ? "Created" : "Updated")} {user.Email} ({user.Role}), user id {user.Id}.");
            if (r.GetValue(password) is null) Console.WriteLine($"Password (shown once): {secret}");
            return 0;
        });
        return cmd;
    }

    private static async Task<Microsoft.AspNetCore.Identity.IdentityResult> SetPasswordAsync(CliServices cli, User user, string secret)
    {
        if (await cli.Users.HasPasswordAsync(user)) await cli.Users.RemovePasswordAsync(user);
        return await cli.Users.AddPasswordAsync(user, secret);
    }

    private static Command List()
    {
        var cmd = new Command("list", "Everyone on the revenue team, and who can sign in.");
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var table = new Table().AddColumns("id", "name", "email", "role", "active", "can sign in", "locked until");
            foreach (var u in await cli.Db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(ct))
                table.AddRow(u.Id.ToString(), Markup.Escape(u.Name), Markup.Escape(u.Email), u.Role.ToString(), u.IsActive ? "yes" : "no",
                    u.PasswordHash is null ? "no" : "yes", u.LockoutEnd is { } l && l > cli.Db.UtcNow ? l.ToString("u") : "");
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Disable()
    {
        var email = new Argument<string>("email") { Description = "The user to disable." };
        var cmd = new Command("disable", "Stop a user from signing in; their open sessions end within a minute.") { email };
        cmd.SetAction(async (r, ct) => await ChangeAsync(r, r.GetValue(email)!, ct, async (cli, u) =>
        {
            u.IsActive = false;
            await cli.Users.UpdateSecurityStampAsync(u); // ends existing cookies at their next validation
            return $"Disabled {u.Email}.";
        }));
        return cmd;
    }

    private static Command SetRole()
    {
        var email = new Argument<string>("email");
        var role = new Argument<Role>("role") { Description = "Admin, Marketing, SalesManager, SalesRep or Viewer." };
        var cmd = new Command("set-role", "Change a user's role; it applies at their next sign-in or within a minute.") { email, role };
        cmd.SetAction(async (r, ct) => await ChangeAsync(r, r.GetValue(email)!, ct, async (cli, u) =>
        {
            u.Role = r.GetValue(role);
            await cli.Users.UpdateSecurityStampAsync(u);
            return $"{u.Email} is now {u.Role}.";
        }));
        return cmd;
    }

    private static async Task<int> ChangeAsync(ParseResult r, string email, CancellationToken ct, Func<CliServices, User, Task<string>> change)
    {
        await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
        var user = await cli.Users.FindByEmailAsync(email);
        if (user is null) return Fail($"No user has email '{email}'.");
        Console.WriteLine(await change(cli, user));
        return 0;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
