using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Plan;

namespace Tandem.Cli;

/// <summary>`tandem forecast [--runs N] [--seed S] [--json]` and `tandem forecast backtest [--json]` (docs/guide/plan.md).</summary>
public static class ForecastCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
        { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var runs = new Option<int>("--runs") { Description = "Monte Carlo runs (default 10000).", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same answer.", DefaultValueFactory = _ => 1 };
        var period = new Option<string?>("--period") { Description = "Quarter (2027-Q1) or year (2027); default: this quarter." };
        var currency = new Option<string?>("--currency") { Description = "Currency (default: the one with the most won revenue)." };
        var target = new Option<decimal?>("--target") { Description = "The number to hit, in major units (default: the approved plan's)." };
        var cmd = new Command("forecast", "Expected bookings at the period's end, P10/P50/P90, and the chance of hitting the target.")
            { json, runs, seed, period, currency, target };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = CliApp.StorageOf(r).Open();
            await Storage.MigrateAsync(db, ct);
            var options = PlanOptions.FromEnvironment();
            var zone = options.Zone();
            var p = r.GetValue(period) is { } text ? Period.Parse(text) : Period.Quarter(Periods.Today(db.UtcNow, zone));
            if (p is null) return Fail($"--period: '{r.GetValue(period)}' is not a quarter like 2027-Q1 or a year like 2027.");
            if (r.GetValue(runs) is < 1 or > 1_000_000) return Fail("--runs: give 1 to 1,000,000 runs.");
            var book = await DealBook.LoadAsync(db, ct);
            var cur = r.GetValue(currency)?.ToUpperInvariant() ?? Forecasts.MainCurrency(book, db.UtcNow);
            if (cur is null) return Fail("No deal was ever won, so there is nothing to forecast from. Import opportunities first.");
            long? t = r.GetValue(target) is { } major ? Data.Money.ToMinor(major) : null;
            if (t <= 0) return Fail("--target: a target must be more than zero.");
            var report = Forecasts.Run(book, cur, p, zone, db.UtcNow, t, r.GetValue(runs), r.GetValue(seed));
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report, Json));
            else Print(report);
            return 0;
        });
        cmd.Subcommands.Add(Backtest(json));
        return cmd;
    }

    private static Command Backtest(Option<bool> json)
    {
        var currency = new Option<string?>("--currency") { Description = "Currency (default: the one with the most won revenue)." };
        var quarters = new Option<int>("--quarters") { Description = "How many past quarters (default 8).", DefaultValueFactory = _ => 8 };
        var cmd = new Command("backtest", "Freezes the forecast at each week of past quarters and scores it against what was booked.")
            { json, currency, quarters };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = CliApp.StorageOf(r).Open();
            await Storage.MigrateAsync(db, ct);
            var book = await DealBook.LoadAsync(db, ct);
            var cur = r.GetValue(currency)?.ToUpperInvariant() ?? Forecasts.MainCurrency(book, db.UtcNow);
            if (cur is null) return Fail("No deal was ever won, so there is nothing to backtest.");
            var result = AnsiConsole.Status().Start("Backtesting…", _ =>
                Features.Plan.Backtest.Run(book, cur, PlanOptions.FromEnvironment().Zone(), db.UtcNow, r.GetValue(quarters)));
            if (r.GetValue(json)) { Console.WriteLine(JsonSerializer.Serialize(result, Json)); return 0; }
            if (result.Quarters.Count == 0) { Console.WriteLine("No past quarter has both bookings and deals closed before it: nothing to backtest yet."); return 0; }
            var table = new Table().Title($"Forecast accuracy, {string.Join(", ", result.Quarters)} ({cur}, {result.Tandem.Points} frozen forecasts)")
                .AddColumn("forecast").AddColumn(new TableColumn("WAPE").RightAligned()).AddColumn(new TableColumn("bias").RightAligned())
                .AddColumn(new TableColumn("within ±10 %").RightAligned());
            foreach (var (name, a) in new[] { ("Tandem", result.Tandem), ("weighted pipeline", result.Weighted), ("run rate", result.RunRate) })
                table.AddRow(name, Pct(a.Wape), Pct(a.Bias, signed: true), Pct(a.Within10));
            AnsiConsole.Write(table);
            var weeks = new Table().Title("WAPE by week of quarter").AddColumn("week").AddColumn(new TableColumn("Tandem").RightAligned())
                .AddColumn(new TableColumn("weighted").RightAligned()).AddColumn(new TableColumn("run rate").RightAligned());
            foreach (var w in result.ByWeek) weeks.AddRow($"{w.Week + 1}", Pct(w.Tandem.Wape), Pct(w.Weighted.Wape), Pct(w.RunRate.Wape));
            AnsiConsole.Write(weeks);
            return 0;
        });
        return cmd;
    }

    private static void Print(ForecastReport f)
    {
        var s = f.Simulation;
        var t = new Table().Title($"Forecast for {f.Period} ({f.Currency}), as of {f.At:yyyy-MM-dd}").AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        t.AddRow("target", f.Target is { } target ? Money(target) : "none (give --target, or approve a plan)");
        t.AddRow("booked so far", Money(f.Booked));
        t.AddRow($"expected from {f.OpenDeals:N0} open deals", Money(f.ExpectedFromOpen));
        t.AddRow("expected from deals not created yet", Money(f.ExpectedFromNew));
        t.AddRow("expected at period end", Money(f.Expected));
        t.AddRow($"P10 / P50 / P90 ({s.Runs:N0} runs, seed {s.Seed})", $"{Money(s.P10)} / {Money(s.P50)} / {Money(s.P90)}");
        if (f.Target is not null) t.AddRow("chance of hitting the target", Pct(s.PHit));
        t.AddRow("weighted pipeline (for comparison)", Money(f.WeightedPipeline));
        t.AddRow("run rate (for comparison)", Money(f.RunRate));
        AnsiConsole.Write(t);
        if (f.Target is null || s.Movers.Count == 0) return;
        var m = new Table().Title("Deals that move the answer most").AddColumn("deal").AddColumn(new TableColumn("chance").RightAligned())
            .AddColumn(new TableColumn("amount").RightAligned()).AddColumn(new TableColumn("P(hit) if won / if not").RightAligned());
        foreach (var d in s.Movers) m.AddRow(Markup.Escape(d.Name), Pct(d.Probability), d.Amount is { } a ? Money(a) : "unknown", $"{Pct(d.HitIfWon)} / {Pct(d.HitIfNot)}");
        AnsiConsole.Write(m);
    }

    private static string Money(double minor) => (minor / 100).ToString("N0");

    private static string Pct(double v, bool signed = false) =>
        double.IsNaN(v) ? "–" : signed ? (v * 100).ToString("+0.0;-0.0;0.0") + " %" : (v * 100).ToString("0.0") + " %";

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
