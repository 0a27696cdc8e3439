using System.CommandLine;
using Tandem.Data;

namespace Tandem.Cli;

public static class MigrateCommand
{
    public static Command Create()
    {
        var cmd = new Command("migrate", "Create or upgrade the database schema (serve does this at start too).");
        cmd.SetAction(async (r, ct) =>
        {
            var storage = CliApp.StorageOf(r);
            await using var db = storage.Open();
            await Storage.MigrateAsync(db, ct);
            Console.WriteLine($"Migrated {storage.Describe()}.");
            return 0;
        });
        return cmd;
    }
}
