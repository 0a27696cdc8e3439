using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Tandem.Features.Insight;
using Tandem.Features.Learning;

namespace Tandem.Cli;

/// <summary>`tandem learn train|report|explain|suggest|promote`: the scoring model learned from the company's own outcomes.</summary>
public static class LearnCommand
{
    private static readonly JsonSerializerOptions Json = new(LearnedModel.Json) { WriteIndented = true };

    public static Command Create()
    {
        var cmd = new Command("learn", "A scoring model trained on your own outcomes: train, report, explain a person, suggest a definition, promote.");
        cmd.Subcommands.Add(Train());
        cmd.Subcommands.Add(Report());
        cmd.Subcommands.Add(Explain());
        cmd.Subcommands.Add(Promote());
        cmd.Subcommands.Add(SuggestCommand.Create());
        cmd.Subcommands.Add(InsightCommand.ForReport("economics", EconomicsReport.Name,
            "Unit economics by segment: conversion with Wilson intervals, LTV, CAC, LTV:CAC and payback, e.g. tandem learn economics --by industry."));
        return cmd;
    }

    private static Command Train()
    {
        var label = new Option<string>("--label") { Description = "sql (default): reached SQL; won: won a deal.", DefaultValueFactory = _ => "sql" };
        var horizon = new Option<int>("--horizon-days") { Description = "Days after the start in which the outcome counts (default 90).", DefaultValueFactory = _ => 90 };
        var start = new Option<string>("--from") { Description = "The decision time: inquiry (default) or mql.", DefaultValueFactory = _ => "inquiry" };
        var confirm = new Option<string[]>("--confirm") { Description = "A feature flagged as a probable leak that you know is recorded before the decision (repeatable)." };
        var exclude = new Option<string[]>("--exclude") { Description = "A feature to leave out (repeatable)." };
        var json = new Option<bool>("--json") { Description = "Print the stored model's report as JSON." };
        var cmd = new Command("train", "Train both models on the matured history, keep the better; stored as a candidate until promoted.")
            { label, horizon, start, confirm, exclude, json };
        cmd.SetAction(async (r, ct) =>
        {
            var errors = new List<string>();
            LearnLabel? l = r.GetValue(label)?.ToLowerInvariant() switch { "sql" => LearnLabel.Sql, "won" => LearnLabel.Won, _ => null };
            LearnStart? s = r.GetValue(start)?.ToLowerInvariant() switch { "inquiry" => LearnStart.Inquiry, "mql" => LearnStart.Mql, _ => null };
            if (l is null) errors.Add($"--label: '{r.GetValue(label)}' is not sql or won.");
            if (s is null) errors.Add($"--from: '{r.GetValue(start)}' is not inquiry or mql.");
            if (r.GetValue(horizon) is < 1 or > 3650) errors.Add("--horizon-days: give a number of days from 1 to 3650.");
            if (errors.Count > 0) { foreach (var e in errors) Console.Error.WriteLine(e); return 2; }
            await using var db = await CliApp.OpenAsync(r, ct);
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
            var target = new LearnTarget(l!.Value, r.GetValue(horizon), s!.Value);
            var choices = new TrainChoices(new HashSet<string>(r.GetValue(confirm) ?? []), new HashSet<string>(r.GetValue(exclude) ?? []), null);
            var (model, refusal) = await WithProgress(p => Models.TrainAsync(db, facts, target, choices, "cli", p, ct));
            if (model is null) { Console.Error.WriteLine(refusal); return 1; }
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(model.Parsed(), Json));
            else Print(model);
            return 0;
        });
        return cmd;
    }

    /// <summary>Spectre's spinner with the current step on a terminal; plain lines otherwise (CI, pipes).</summary>
    private static async Task<T> WithProgress<T>(Func<IProgress<string>, Task<T>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return await work(new Progress<string>(m => Console.Error.WriteLine(m)));
        return await AnsiConsole.Status().StartAsync("training", async ctx =>
            await work(new SyncProgress(m => ctx.Status(Markup.Escape(m)))));
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    private static Command Report()
    {
        var number = new Argument<int?>("version") { Description = "Model number (default: the active one, else the newest).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var cmd = new Command("report", "The model report: test AUC, PR-AUC, log loss, Brier, lift, calibration, precision at K, importance, drift.") { number, json };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var model = r.GetValue(number) is { } n ? await Models.FindAsync(db, n, ct) : await Models.CurrentAsync(db, ct);
            if (model is null) { Console.Error.WriteLine(r.GetValue(number) is { } m ? $"There is no model #{m}." : "No model has been trained yet: run `tandem learn train`."); return 1; }
            if (!model.IsTrained)
            {
                Console.Error.WriteLine(model.Status == ModelStatus.Training ? $"Model #{model.Number} is still being trained by the weekly retrain."
                    : $"Model #{model.Number} is a weekly retrain that could not learn: {model.Report}");
                return 1;
            }
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(model.Parsed(), Json));
            else Print(model);
            return 0;
        });
        return cmd;
    }

    private static Command Explain()
    {
        var person = new Argument<string>("person") { Description = "The person's id or email." };
        var cmd = new Command("explain", "A person's probability under the active model and the factors that raise and lower it.") { person };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var key = r.GetValue(person)!.Trim();
            var id = int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : await db.People.Where(p => p.Email == key.ToLowerInvariant()).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct) ?? -1;
            if (await Models.ActiveAsync(db, ct) is null) { Console.Error.WriteLine("No model is active: train one and promote it (`tandem learn promote N --as EMAIL`)."); return 1; }
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
            if (await Models.ExplainAsync(db, facts, id, ct) is not { } e) { Console.Error.WriteLine($"No person '{key}'."); return 1; }
            Console.WriteLine($"{e.Probability:P0} chance: {e.Target} (model #{e.ModelNumber})");
            foreach (var f in e.Raising.Concat(e.Lowering)) Console.WriteLine("  " + f.Sentence);
            return 0;
        });
        return cmd;
    }

    private static Command Promote()
    {
        var number = new Argument<int>("version") { Description = "The model number to make active." };
        var user = new Option<string>("--as") { Description = "Email of the person promoting it.", Required = true };
        var confirm = new Option<bool>("--confirm") { Description = "Promote even though it predicts a different outcome than the active model." };
        var cmd = new Command("promote", "Make a trained model the active one (it then scores people and explains them).") { number, user, confirm };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var email = r.GetValue(user)!.Trim().ToLowerInvariant();
            var u = await db.Users.FirstOrDefaultAsync(x => x.Email == email, ct);
            if (u is null) { Console.Error.WriteLine($"No user has the email {email}."); return 1; }
            db.Actor = $"user:{u.Id}";
            var (outcome, message) = await Models.PromoteAsync(db, r.GetValue(number), u.Name, r.GetValue(confirm), ct);
            if (outcome == Models.PromoteOutcome.NeedsConfirmation) message += " (add --confirm)";
            (outcome == Models.PromoteOutcome.Promoted ? Console.Out : Console.Error).WriteLine(message);
            return outcome == Models.PromoteOutcome.Promoted ? 0 : 1;
        });
        return cmd;
    }

    private static void Print(LearnedModel m)
    {
        var rep = m.Parsed();
        Console.WriteLine($"Model #{m.Number} ({m.Status.ToString().ToLowerInvariant()}): {rep.Target.Sentence}");
        Console.WriteLine($"Learned from {rep.Train.People:N0} people ({rep.Train.From:yyyy-MM-dd} to {rep.Train.To:yyyy-MM-dd}); " +
                          $"tested on the latest matured cohort: {rep.Test.People:N0} people ({rep.Test.From:yyyy-MM-dd} to {rep.Test.To:yyyy-MM-dd}), {rep.Test.Positives:N0} positive.");
        foreach (var t in rep.Trainers)
            Console.WriteLine($"  {t.Trainer}: validation AUC {t.ValidationAuc:0.000}, test AUC {t.TestAuc:0.000}{(t.Trainer == rep.Chosen ? "  (kept)" : "")}");
        Console.WriteLine($"Test AUC {rep.Auc:0.000} · PR-AUC {rep.PrAuc:0.000} · log loss {rep.LogLoss:0.000} · Brier {rep.Brier:0.000} · base rate {rep.BaseRate:P1}");
        Console.WriteLine($"Precision at {rep.K:N0} ({rep.KSource}): {rep.PrecisionAtK:P1}");
        Console.WriteLine(rep.RuleAuc is { } ra ? $"The lead definition's score on the same people: AUC {ra:0.000}" : "No active lead definition to compare with.");
        Console.WriteLine("Lift by decile: " + string.Join("  ", rep.Deciles.Select(d => $"{d.Number}:{d.Lift:0.0}x")));
        Console.WriteLine("Calibration (predicted → observed): " + string.Join("  ", rep.Calibration.Where(c => c.Count > 0).Select(c => $"{c.MeanPredicted:0.00}→{c.Observed:0.00} (n={c.Count:N0})")));
        Console.WriteLine("Most important features (test AUC lost when shuffled):");
        foreach (var i in rep.Importance.Take(10)) Console.WriteLine($"  {i.Feature}: {i.AucDrop:0.000}");
        foreach (var l in rep.Leaks) Console.WriteLine($"Probable leak: {l.Feature} {l.Reason}{(l.Confirmed ? " (confirmed by a person: kept)" : " (left out)")}");
        foreach (var d in rep.Dropped) Console.WriteLine($"Dropped: {d.Name}: {d.Reason}");
        if (rep.DriftAt is { } at)
            Console.WriteLine($"Drift at {at:yyyy-MM-dd HH:mm}: " + string.Join(", ", rep.Drift.Take(5).Select(d => $"{d.Feature} PSI {d.Psi:0.00}")));
    }
}
