using System.CommandLine;
using System.Text.Json;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Stats;

namespace Tandem.Cli;

/// <summary>`tandem stats [--json]`: what the database holds, and the opportunity summary.</summary>
public static class StatsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables (the win rate as a fraction: 0.6315)." };
        var days = new Option<string?>("--days")
            { Description = "Cycle in elapsed days (default, fractional) or calendar days (whole days between the dates)." };
        days.AcceptOnlyFromAmong(InsightQuery.DayCounts);
        var cmd = new Command("stats", "Counts per entity and lifecycle stage, and the opportunity summary.") { json, days };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = CliApp.StorageOf(r).Open();
            await Storage.MigrateAsync(db, ct);
            var stats = await FunnelStats.LoadAsync(db, ct, r.GetValue(days) == "calendar");
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(stats, Json));
            else Print(stats);
            return 0;
        });
        return cmd;
    }

    private static void Print(FunnelStats s)
    {
        Table("Records", "record", s.Counts.Select(kv => (kv.Key, kv.Value.ToString("N0"))));
        Table("People by stage", "stage", s.PeopleByStage.Select(kv => (kv.Key, kv.Value.ToString("N0"))));
        var o = s.Opportunities;
        Table("Opportunities", "figure", [
            ("won", o.Won.ToString("N0")), ("lost", o.Lost.ToString("N0")), ("open", o.Open.ToString("N0")),
            ("no decision", o.NoDecision.ToString("N0")), ("win rate", o.WinRate is { } w ? $"{w * 100:0.00} %" : "–"),
            ("won amount", o.WonAmount.ToString("N2")), ("mean won amount", Fmt(o.MeanWonAmount)),
            ("won cycle days, mean / median", $"{Fmt(o.MeanWonCycleDays)} / {Fmt(o.MedianWonCycleDays)}"),
            ("lost cycle days, mean / median", $"{Fmt(o.MeanLostCycleDays)} / {Fmt(o.MedianLostCycleDays)}"),
        ]);
    }

    private static string Fmt(decimal? d) => d is { } v ? v.ToString("N2") : "–";

    private static string Fmt(double? d) => d is { } v ? v.ToString("N2") : "–";

    /// <summary>Plain aligned text, readable piped (decision 0058).</summary>
    private static void Table(string title, string what, IEnumerable<(string Name, string Value)> rows)
    {
        var t = new TextTable(title, [what, "value"], [false, true]);
        foreach (var (name, value) in rows) t.Add([name, value]);
        t.Write(Console.Out, TextTable.OutputWidth());
        Console.WriteLine();
    }
}
