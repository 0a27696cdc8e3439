using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Plan;

namespace Tandem.Cli;

/// <summary>`tandem snapshots take|show`: the validated pipeline at a quarter's start and what became of it.</summary>
public static class SnapshotsCommand
{
    public static Command Create()
    {
        var cmd = new Command("snapshots", "Pipeline snapshots: each rep's validated deals at the quarter's start, and what became of them.");
        var note = new Option<string?>("--note") { Description = "Why this snapshot was taken." };
        var take = new Command("take", "Take a manual snapshot of this quarter's validated pipeline now.") { note };
        take.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var options = PlanOptions.FromEnvironment();
            var quarter = Period.Quarter(Periods.Today(db.UtcNow, options.Zone()));
            var s = (await Snapshots.TakeAsync(db, quarter, SnapshotKind.Manual, options, r.GetValue(note), ct))!;
            Console.WriteLine($"Snapshot #{s.Id} of {s.Period} taken: {await db.SnapshotDeals.CountAsync(d => d.SnapshotId == s.Id, ct):N0} validated deals.");
            return 0;
        });
        var id = new Argument<int?>("snapshot") { Description = "Snapshot number (default: this quarter's automatic one, else the newest).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var show = new Command("show", "What became of a snapshot's deals, rep by rep, with the pipeline flow and the flags.") { id, json };
        show.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var options = PlanOptions.FromEnvironment();
            var list = await SnapshotReports.ListAsync(db, ct);
            var quarter = Period.Quarter(Periods.Today(db.UtcNow, options.Zone())).Label;
            var pick = r.GetValue(id) is { } n ? list.FirstOrDefault(s => s.Id == n)
                : list.FirstOrDefault(s => s.Period == quarter && s.Kind == SnapshotKind.Auto) ?? list.FirstOrDefault();
            if (pick is null)
            {
                Console.Error.WriteLine(r.GetValue(id) is { } m ? $"Snapshot #{m} does not exist." : "No snapshot yet: `tandem serve` takes one at each quarter's start; `tandem snapshots take` takes one now.");
                return 2;
            }
            var report = (await SnapshotReports.RunAsync(db, pick.Id, options, ct))!;
            if (r.GetValue(json)) { Console.WriteLine(JsonSerializer.Serialize(report, PlanContent.Json)); return 0; }
            Print(report);
            return 0;
        });
        cmd.Subcommands.Add(take);
        cmd.Subcommands.Add(show);
        return cmd;
    }

    private static void Print(SnapshotReport r)
    {
        var s = r.Snapshot;
        AnsiConsole.MarkupLine($"[bold]Snapshot #{s.Id}[/] of {s.Period} ({s.Kind.ToString().ToLowerInvariant()}), taken {s.TakenAt:yyyy-MM-dd HH:mm} UTC by {Markup.Escape(s.TakenBy)}: {s.Deals:N0} validated deals{(r.QuarterOver ? "; the quarter is over" : "")}.");
        foreach (var f in r.Flow)
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Currency}: {f.Start} at the start + {f.Added} added − {f.Won} won − {f.Lost} lost − {f.Pushed} pushed − {f.Removed} removed = {f.OpenNow} open now ({f.WonAmount:N0} won, {f.OpenAmount:N0} open)."));
        var t = new Table().Title("Reps").AddColumn("rep").AddColumn(new TableColumn("committed").RightAligned()).AddColumn(new TableColumn("won").RightAligned())
            .AddColumn(new TableColumn("lost").RightAligned()).AddColumn(new TableColumn("pushed").RightAligned()).AddColumn(new TableColumn("open").RightAligned())
            .AddColumn(new TableColumn("won, not committed").RightAligned()).AddColumn("flag");
        foreach (var rep in r.Reps)
            t.AddRow(Markup.Escape(rep.Owner), $"{rep.Committed}", $"{rep.Won}", $"{rep.Lost}", $"{rep.Pushed}", $"{rep.Open}", $"{rep.WonNotCommitted}",
                rep.Flagged ? "[red]flagged[/]" : "");
        AnsiConsole.Write(t);
        foreach (var rep in r.Reps.Where(x => x.Flagged)) AnsiConsole.MarkupLine($"[red]{Markup.Escape(rep.Owner)}[/]: {Markup.Escape(rep.Why)}");
    }

}
