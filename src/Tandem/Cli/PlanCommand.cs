using System.Globalization;
using System.Text.Json;
using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;
using Tandem.Features.Plan;

namespace Tandem.Cli;

/// <summary>`tandem plan draft|show|diff|approve|pacing`: the revenue plan from the command line (docs/guide/plan.md).</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var cmd = new Command("plan", "The revenue plan: draft one from a target, show it, diff versions, approve, and pace it against actual.");
        cmd.Subcommands.Add(Draft());
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Diff());
        cmd.Subcommands.Add(Approve());
        cmd.Subcommands.Add(Pace());
        return cmd;
    }

    private static Command Draft()
    {
        var period = new Option<string?>("--period") { Description = "Quarter (2027-Q1) or year (2027); default: this quarter, or the plan drafted from." };
        var target = new Option<decimal?>("--target") { Description = "The revenue to plan for, in major units (1250000)." };
        var currency = new Option<string?>("--currency") { Description = "Currency (default: the one with the most won revenue)." };
        var buffer = new Option<double?>("--buffer") { Description = "Plan this fraction above the target (0.1 = 10 %)." };
        var split = new Option<string?>("--split") { Description = "How the plan is split into lines, by revenue share: " + string.Join(", ", PlanSplit.Fields) + " (none: one line)." };
        var window = new Option<int?>("--window") { Description = "Days of history the rates are measured over (default 365)." };
        var overrides = new Option<string[]>("--override")
        {
            Description = "Replace a measured number: LINE:WHAT=VALUE:REASON, e.g. Email:sal-sql=0.3:\"new SDR team\" (what: inquiry-mql, mql-sal, sal-sql, sql-won, mean-won, cost-per-sql).",
            AllowMultipleArgumentsPerToken = false,
        };
        var from = new Option<int?>("--from") { Description = "Draft from this plan (a revision; its inputs are the defaults)." };
        var note = new Option<string?>("--note");
        var cmd = new Command("draft", "Run a revenue target backwards into weekly targets per stage and channel, from the company's own rates and lags.")
            { period, target, currency, buffer, split, window, overrides, from, note };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            RevenuePlan? basedOn = null;
            if (r.GetValue(from) is { } n && (basedOn = await Plans.FindAsync(db, n, ct)) is null) return Fail($"--from: plan #{n} does not exist.");
            var old = basedOn?.Parsed().Inputs;
            var parsed = new List<RateOverride>();
            foreach (var text in r.GetValue(overrides) ?? [])
                if (ParseOverride(text) is { } o) parsed.Add(o);
                else return Fail($"--override: '{text}' is not LINE:WHAT=VALUE:REASON, e.g. Email:sal-sql=0.3:\"new SDR team\".");
            if (r.GetValue(target) is null && old is null) return Fail("--target: give the revenue to plan for, in major units.");
            if (r.GetValue(target) is <= 0) return Fail("--target: the target must be more than zero.");
            var zone = PlanOptions.FromEnvironment().Zone();
            var facts = await AnsiConsole.Status().StartAsync("Reading the funnel history…", _ => InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct));
            var cur = (r.GetValue(currency) ?? old?.Currency ?? FunnelRates.MainCurrency(facts, db.UtcNow))?.ToUpperInvariant();
            if (cur is null) return Fail("--currency: no deal was ever won, so Tandem cannot guess the currency.");
            var inputs = new PlanDraftInput(r.GetValue(period), cur, r.GetValue(target), r.GetValue(buffer), r.GetValue(split), r.GetValue(window),
                parsed.Count > 0 ? parsed : null, null, null, null, null).Resolve(old, cur, Period.Quarter(Periods.Today(db.UtcNow, zone)).Label);
            var (content, errors) = Plans.Compute(facts, inputs, db.UtcNow, zone);
            if (content is null)
            {
                foreach (var (field, message) in errors) Console.Error.WriteLine($"{field}: {message}");
                return 2;
            }
            if (await Plans.ConflictAsync(db, Period.Parse(content.Inputs.Period)!, cur, basedOn?.Id, ct) is { } approved)
                return Fail(PlanConflictException.Describe(approved, null));
            var p = await Plans.CreateDraftAsync(db, content, r.GetValue(note), basedOn, ct);
            AnsiConsole.MarkupLine($"Drafted [bold]plan #{p.Number}[/] (hash {p.ContentHash}).");
            Print(p, content);
            return 0;
        });
        return cmd;
    }

    internal static RateOverride? ParseOverride(string text)
    {
        var colon = text.IndexOf(':');
        var eq = text.IndexOf('=', colon + 1);
        var reason = eq < 0 ? -1 : text.IndexOf(':', eq + 1);
        if (colon <= 0 || eq < 0 || reason < 0) return null;
        return double.TryParse(text[(eq + 1)..reason], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? new RateOverride(text[..colon].Trim(), text[(colon + 1)..eq].Trim().ToLowerInvariant(), value, text[(reason + 1)..].Trim().Trim('"'))
            : null;
    }

    private static Command Show()
    {
        var number = new Argument<int?>("plan") { Description = "Plan number (default: the newest)." , Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the plan's content as JSON." };
        var cmd = new Command("show", "Print a plan: the numbers it uses with their samples, the targets per stage, and its approvals.") { number, json };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var p = r.GetValue(number) is { } n ? await Plans.FindAsync(db, n, ct) : await db.RevenuePlans.OrderByDescending(x => x.Number).FirstOrDefaultAsync(ct);
            if (p is null) return Fail(r.GetValue(number) is { } m ? $"Plan #{m} does not exist." : "No plan yet: tandem plan draft --target 1000000.");
            if (r.GetValue(json)) { Console.WriteLine(JsonSerializer.Serialize(p.Parsed(), PlanContent.Json)); return 0; }
            var reviews = await db.PlanReviews.AsNoTracking().Where(x => x.PlanId == p.Id).ToListAsync(ct);
            var state = Approvals.State(p.ContentHash, reviews);
            AnsiConsole.MarkupLine($"[bold]Plan #{p.Number}[/] · {p.Status.ToString().ToLowerInvariant()} · hash {p.ContentHash} · marketing approved: {(state.MarketingUserId is null ? "no" : "yes")}, sales approved: {(state.SalesUserId is null ? "no" : "yes")}");
            Print(p, p.Parsed());
            return 0;
        });
        return cmd;
    }

    private static void Print(RevenuePlan p, PlanContent c)
    {
        AnsiConsole.WriteLine(PlanText.Summary(c));
        var rates = new Table().Title("The numbers the plan uses").AddColumn("line").AddColumn(new TableColumn("share").RightAligned());
        for (var k = 0; k < PlanStages.Won; k++) rates.AddColumn(new TableColumn(PlanStages.Transition(k)).RightAligned());
        rates.AddColumn(new TableColumn("mean won").RightAligned()).AddColumn(new TableColumn("budget").RightAligned());
        foreach (var l in c.Lines)
            rates.AddRow([Markup.Escape(l.Line), Pct(l.Share), .. l.Rates.Select(Rate), Money(l.MeanWon) + (l.MeanWonOverride is null ? "" : " *"),
                l.Budget is { } b ? Money(b) : "–"]);
        AnsiConsole.Write(rates);
        AnsiConsole.MarkupLine("[grey]n = people in the measured cohort; * = overridden; ~ = borrowed from all lines together (the line's own sample is thin).[/]");
        foreach (var o in c.Lines.SelectMany(l => l.Rates.Where(r => r.OverrideReason is not null).Select(r => (l.Line, r))))
            AnsiConsole.MarkupLine($"[grey]* {Markup.Escape(o.Line)} {Markup.Escape(o.r.Transition)}: {Markup.Escape(o.r.OverrideReason!)} (measured {Pct(o.r.Measured)})[/]");
        var weeks = new Table().Title($"Weekly targets, {c.Inputs.Period} (weeks before {c.PeriodStart:yyyy-MM-dd} are the lead-in)").AddColumn("week of");
        foreach (var label in PlanStages.Labels) weeks.AddColumn(new TableColumn(label).RightAligned());
        var first = Enumerable.Range(0, c.Weeks).FirstOrDefault(w => c.Lines.Sum(l => l.Weekly.Sum(s => s[w])) >= 0.05); // skip a long, empty lead-in
        for (var w = first; w < c.Weeks; w++)
            weeks.AddRow([c.Week(w).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                .. Enumerable.Range(0, PlanStages.Count).Select(k => c.Lines.Sum(l => l.Weekly[k][w]).ToString("0.#", CultureInfo.InvariantCulture))]);
        AnsiConsole.Write(weeks);
    }

    private static string Rate(PlanRate r) =>
        $"{Pct(r.Value)}{(r.OverrideReason is not null ? "*" : r.Basis.StartsWith("all lines", StringComparison.Ordinal) ? "~" : "")} n{r.Sample:N0}";

    private static Command Diff()
    {
        var a = new Argument<int>("from");
        var b = new Argument<int>("to");
        var cmd = new Command("diff", "What changes from one plan to another.") { a, b };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var x = await Plans.FindAsync(db, r.GetValue(a), ct);
            var y = await Plans.FindAsync(db, r.GetValue(b), ct);
            if (x is null || y is null) return Fail($"Plan #{(x is null ? r.GetValue(a) : r.GetValue(b))} does not exist.");
            var lines = PlanDiff.Compare(x.Parsed(), y.Parsed());
            if (lines.Count == 0) Console.WriteLine("The two plans are the same.");
            foreach (var l in lines) Console.WriteLine($"{l.Section}: {l.Text}");
            return 0;
        });
        return cmd;
    }

    private static Command Approve()
    {
        var number = new Argument<int>("plan");
        var user = new Option<string>("--as") { Description = "Email of the reviewer (a marketing user or a sales manager).", Required = true };
        var hash = new Option<string>("--hash") { Description = "The content hash you reviewed (from `show`).", Required = true };
        var reject = new Option<bool>("--reject") { Description = "Reject instead of approve." };
        var comment = new Option<string?>("--comment");
        var cmd = new Command("approve", "Approve (or reject) a plan draft as a user; both sides approving makes it the plan of record.") { number, user, hash, reject, comment };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var p = await Plans.FindAsync(db, r.GetValue(number), ct);
            if (p is null) return Fail($"Plan #{r.GetValue(number)} does not exist.");
            var email = r.GetValue(user)!.Trim().ToLowerInvariant();
            var u = await db.Users.FirstOrDefaultAsync(x => x.Email == email, ct);
            if (u is null) return Fail($"No user has the email {email}.");
            var decision = r.GetValue(reject) ? ReviewDecision.Reject : ReviewDecision.Approve;
            var reviews = await db.PlanReviews.AsNoTracking().Where(x => x.PlanId == p.Id).ToListAsync(ct);
            if (Approvals.Check(p.Status == PlanStatus.Draft, p.Name, p.Status.ToString().ToLowerInvariant(), "a revenue plan", p.ContentHash,
                    r.GetValue(hash), u.Id, u.Role, decision, reviews) is { } refusal)
                return Fail(refusal.Message);
            db.Actor = $"user:{u.Id}";
            bool approved;
            try { approved = await Plans.ReviewAsync(db, p, u.Id, u.Role, decision, r.GetValue(comment), ct); }
            catch (Exception e) when (e is ReviewRaceException or PlanConflictException) { return Fail(e.Message); }
            AnsiConsole.MarkupLine(approved ? $"Plan #{p.Number} is now [green]the plan of record[/] for {p.Period}." : $"{decision} recorded for plan #{p.Number}.");
            return 0;
        });
        return cmd;
    }

    private static Command Pace()
    {
        var number = new Argument<int?>("plan") { Description = "Plan number (default: the approved plan of this quarter).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var cmd = new Command("pacing", "Plan against actual to date per stage and channel, and what is needed per remaining week.") { number, json };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var zone = PlanOptions.FromEnvironment().Zone();
            var quarter = Period.Quarter(Periods.Today(db.UtcNow, zone)).Label;
            var p = r.GetValue(number) is { } n ? await Plans.FindAsync(db, n, ct)
                : await db.RevenuePlans.Where(x => x.Status == PlanStatus.Approved && x.Period == quarter).OrderByDescending(x => x.Number).FirstOrDefaultAsync(ct);
            if (p is null) return Fail(r.GetValue(number) is { } m ? $"Plan #{m} does not exist." : $"No plan is approved for {quarter}; give a plan number.");
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
            var report = Pacing.Run(p.Parsed(), facts, db.UtcNow, zone);
            if (r.GetValue(json)) { Console.WriteLine(JsonSerializer.Serialize(report, PlanContent.Json)); return 0; }
            var t = new Table().Title($"Pacing of plan #{p.Number}, {report.Period} ({report.Currency}), as of {report.AsOf:yyyy-MM-dd}")
                .AddColumn("line").AddColumn("stage").AddColumn(new TableColumn("plan to date").RightAligned()).AddColumn(new TableColumn("actual").RightAligned())
                .AddColumn("").AddColumn(new TableColumn("needed per week left").RightAligned()).AddColumn(new TableColumn("period target").RightAligned());
            foreach (var s in report.Stages)
                t.AddRow(Markup.Escape(s.Line), s.Label, s.PlanToDate.ToString("N0", CultureInfo.InvariantCulture), s.ActualToDate.ToString("N0", CultureInfo.InvariantCulture),
                    s.Status == "behind" ? "[red]behind[/]" : s.Status == "ahead" ? "[green]ahead[/]" : "on plan",
                    s.WeeksLeft == 0 ? "–" : s.NeededPerWeek.ToString("N1", CultureInfo.InvariantCulture), s.PlanTotal.ToString("N0", CultureInfo.InvariantCulture));
            AnsiConsole.Write(t);
            AnsiConsole.WriteLine($"Booked {Money(report.BookedMinor)} of {Money(report.TargetMinor)} {report.Currency}; the plan expected {Money(report.BookedPlanToDate)} by now.");
            return 0;
        });
        return cmd;
    }

    private static string Money(double minor) => (minor / 100).ToString("N0", CultureInfo.InvariantCulture);
    private static string Pct(double v) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
