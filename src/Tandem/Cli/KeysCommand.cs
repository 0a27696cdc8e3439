using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Tandem.Features.Access;

namespace Tandem.Cli;

/// <summary>`tandem keys create|list|revoke`: API keys for integrations, for operators without the web UI.</summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var cmd = new Command("keys", "Manage API keys.");
        cmd.Subcommands.Add(New());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Revoke());
        return cmd;
    }

    private static Command New()
    {
        var name = new Option<string>("--name") { Required = true, Description = "What uses the key, e.g. 'website forms'." };
        var scope = new Option<KeyScope>("--scope") { Required = true, Description = "Ingest, Read, Write or Admin." };
        var days = new Option<int?>("--expires-in-days") { Description = "Expire after this many days (default: never)." };
        var cmd = new Command("create", "Create a key; its secret is printed once.") { name, scope, days };
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var expires = r.GetValue(days) is { } d ? cli.Db.UtcNow.AddDays(d) : (DateTime?)null;
            var (key, secret) = ApiKeysApi.Issue(cli.Db, r.GetValue(name)!, r.GetValue(scope), expires, null);
            await cli.Db.SaveChangesAsync(ct);
            Console.WriteLine($"Key {key.Id} ({key.Scope}) created. Secret (shown once, store it now):");
            Console.WriteLine(secret);
            return 0;
        });
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "All keys, without secrets.");
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var table = new Table().AddColumns("id", "name", "prefix", "scope", "expires", "last used", "revoked");
            foreach (var k in await cli.Db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct))
                table.AddRow(k.Id.ToString(), Markup.Escape(k.Name), k.Prefix, k.Scope.ToString(), k.ExpiresAt?.ToString("u") ?? "never",
                    k.LastUsedAt?.ToString("u") ?? "", k.RevokedAt?.ToString("u") ?? "");
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Revoke()
    {
        var id = new Argument<int>("id");
        var cmd = new Command("revoke", "Revoke a key at once.") { id };
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var key = await cli.Db.ApiKeys.FirstOrDefaultAsync(k => k.Id == r.GetValue(id), ct);
            if (key is null) return UsersCommand.Fail($"No key has id {r.GetValue(id)}.");
            key.RevokedAt ??= cli.Db.UtcNow;
            await cli.Db.SaveChangesAsync(ct);
            Console.WriteLine($"Revoked key {key.Id} ({key.Name}).");
            return 0;
        });
        return cmd;
    }
}
