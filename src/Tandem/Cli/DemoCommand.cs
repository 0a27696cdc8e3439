using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Cli;

/// <summary>`tandem demo`: loads the demo company into an empty database.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var people = new Option<int>("--people") { Description = "How many people to generate (20,000 by default; up to millions for benchmarks).", DefaultValueFactory = _ => DemoOptions.DefaultPeople };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same data.", DefaultValueFactory = _ => DemoOptions.DefaultSeed };
        var cmd = new Command("demo", "Fill an empty database with a realistic, deterministic demo company.") { people, seed };
        cmd.SetAction(async (r, ct) =>
        {
            var storage = CliApp.StorageOf(r);
            await using var db = storage.Open();
            db.Actor = "cli";
            await Storage.MigrateAsync(db, ct);
            if (!await DemoGenerator.IsEmptyAsync(db, ct))
            {
                Console.Error.WriteLine($"{storage.Describe()} already holds data. Demo data only goes into an empty database: use another --data folder or database.");
                return 1;
            }
            var options = new DemoOptions(r.GetValue(people), r.GetValue(seed));
            var clock = Stopwatch.StartNew();
            var counts = await LoadAsync(db, options, ct);
            Console.WriteLine($"Demo data loaded into {storage.Describe()} in {clock.Elapsed.TotalSeconds:0.0} s:");
            Console.WriteLine(Describe(counts));
            return 0;
        });
        return cmd;
    }

    public static string Describe(DemoCounts c) =>
        $"  {c.People:N0} people, {c.Accounts:N0} accounts, {c.Campaigns:N0} campaigns, {c.Users:N0} users in {c.Teams:N0} teams,\n" +
        $"  {c.Touches:N0} touches, {c.StageChanges:N0} stage changes, {c.Opportunities:N0} opportunities ({c.OpportunityStageChanges:N0} stage changes).";

    /// <summary>A progress bar on a terminal; a line per tenth when output is redirected, so logs stay short.</summary>
    internal static async Task<DemoCounts> LoadAsync(TandemDb db, DemoOptions options, CancellationToken ct)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var shown = 0;
            return await DemoGenerator.RunAsync(db, options, new Progress<DemoProgress>(p =>
            {
                if (p.Done * 10L / p.Total <= shown) return;
                shown = (int)(p.Done * 10L / p.Total);
                Console.WriteLine($"  {p.Done:N0} / {p.Total:N0} people");
            }), ct);
        }
        DemoCounts? result = null;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask("Generating demo people", maxValue: options.People);
            result = await DemoGenerator.RunAsync(db, options, new SyncProgress(p => task.Value = p.Done), ct);
        });
        return result!;
    }

    /// <summary>Reports on the caller's thread: Progress&lt;T&gt; posts to the thread pool and may report after the run ends.</summary>
    private sealed class SyncProgress(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }
}
