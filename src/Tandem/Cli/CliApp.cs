using System.CommandLine;
using Tandem.Data;

namespace Tandem.Cli;

/// <summary>The `tandem` command line. The web server is just one verb of it (`serve`).</summary>
public static class CliApp
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = $"Folder for the SQLite database (default ./data, or ${Storage.DataEnv}).",
        Recursive = true,
    };

    public static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = $"PostgreSQL connection string; when given, SQLite is not used (or ${Storage.PostgresEnv}).",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Tandem: one revenue team. Run `tandem serve --demo` to start with demo data.");
        root.Options.Add(Data);
        root.Options.Add(Postgres);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(ChannelsCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DefinitionCommand.Create());
        root.Subcommands.Add(SlaCommand.Create());
        root.Subcommands.Add(ForecastCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(SnapshotsCommand.Create());
        root.Subcommands.Add(LearnCommand.Create());
        foreach (var c in CadenceCommand.Create()) root.Subcommands.Add(c);
        root.Subcommands.Add(NurtureCommand.Create());
        foreach (var c in InsightCommand.Create()) root.Subcommands.Add(c);
        return root;
    }

    public static Storage StorageOf(ParseResult r) => Storage.Resolve(r.GetValue(Data), r.GetValue(Postgres));

    /// <summary>The database a verb works on, migrated, its changes recorded as made by "cli".</summary>
    public static async Task<Data.TandemDb> OpenAsync(ParseResult r, CancellationToken ct)
    {
        var db = StorageOf(r).Open();
        db.Actor = "cli";
        await Storage.MigrateAsync(db, ct);
        return db;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Build().Parse(args);
        if (UnknownCommand(parsed) is { } message)
        {
            Console.Error.WriteLine(message);
            return 1;
        }
        return await parsed.InvokeAsync();
    }

    /// <summary>
    /// "unknown command 'learn'" and the commands there are, rather than the whole help: a mistyped verb is the commonest
    /// mistake (decision 0058). Only when the word stands where a subcommand was expected and the command has subcommands.
    /// </summary>
    internal static string? UnknownCommand(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        if (command.Subcommands.Count == 0 || parsed.UnmatchedTokens.Count == 0) return null;
        var word = parsed.UnmatchedTokens[0];
        if (word.StartsWith('-')) return null;
        var path = parsed.CommandResult.Command == parsed.RootCommandResult.Command ? "tandem" : "tandem " + CommandPath(parsed.CommandResult);
        return $"unknown command '{word}'. The commands of '{path}' are: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}. "
            + $"Run '{path} --help' for what each does.";
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult r) =>
        r.Parent is System.CommandLine.Parsing.CommandResult p && p.Parent is not null ? CommandPath(p) + " " + r.Command.Name : r.Command.Name;
}
