using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Handoffs;

namespace Tandem.Cli;

/// <summary>`tandem sla report`: the SLA report, the same as the API's GET /api/sla/report.</summary>
public static class SlaCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var sla = new Command("sla", "The sales SLA: compliance, first touch, rejections, recycled leads and the marketing SLA.");
        var from = new Option<DateTime?>("--from") { Description = "Leads handed over from this UTC date (default: 12 weeks before this week)." };
        var to = new Option<DateTime?>("--to") { Description = "… up to this UTC date, exclusive (default: tomorrow)." };
        var mql = new Option<int?>("--mql-target") { Description = "MQLs marketing promised per week." };
        var sal = new Option<int?>("--sal-target") { Description = "SALs per week the plan needs." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var report = new Command("report", "SLA compliance by rep, team and week, and the rest of the SLA report.") { from, to, mql, sal, json };
        report.SetAction(async (r, ct) =>
        {
            await using var db = CliApp.StorageOf(r).Open();
            await Storage.MigrateAsync(db, ct);
            var (f, t) = HandoffApi.Period(db.UtcNow, r.GetValue(from), r.GetValue(to));
            if (HandoffApi.PeriodProblem(f, t) is { } problem)
            {
                Console.Error.WriteLine($"--{problem.Field}: {problem.Message}");
                return 2;
            }
            var dto = await SlaReport.RunAsync(db, f, t, r.GetValue(mql), r.GetValue(sal), ct);
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(dto, Json));
            else Print(dto);
            return 0;
        });
        sla.Subcommands.Add(report);
        return sla;
    }

    private static void Print(SlaReportDto d)
    {
        AnsiConsole.MarkupLine($"[bold]Sales SLA[/], leads handed over {d.From:yyyy-MM-dd} to {d.To:yyyy-MM-dd} (UTC)");
        Compliance("By rep", [d.Total, .. d.ByRep]);
        Compliance("By team", d.ByTeam);
        Compliance("By week", d.ByWeek);
        var rej = new Table().Title("Rejection reasons by channel and campaign").AddColumns("Reason", "Channel", "Campaign", "Leads");
        foreach (var x in d.Rejections.Take(30)) rej.AddRow(Markup.Escape(x.Label), x.Channel, Markup.Escape(x.Campaign), N(x.Count));
        AnsiConsole.Write(rej);
        AnsiConsole.MarkupLine($"Recycled to nurture: {d.Recycled.Count:N0}, of whom {d.Recycled.Count(x => x.Requalified):N0} qualified again.");
        var m = new Table().Title("Marketing SLA per week").AddColumns("Week", "MQLs", "Target", "SALs", "Target");
        foreach (var w in d.Marketing) m.AddRow(w.Week.ToString("yyyy-MM-dd"), N(w.Mqls), Target(w.MqlTarget, w.MqlsMet), N(w.Sals), Target(w.SalTarget, w.SalsMet));
        AnsiConsole.Write(m);
    }

    private static void Compliance(string title, IReadOnlyList<ComplianceRow> rows)
    {
        var t = new Table().Title(title).AddColumns("", "Leads", "Met", "Breached", "Pending", "Compliance", "First touch median (bh)", "p90 (bh)", "Attempts/lead");
        foreach (var r in rows)
            t.AddRow(Markup.Escape(r.Label), N(r.Leads), N(r.Met), N(r.Breached), N(r.Pending), r.Compliance is { } c ? c.ToString("P1", CultureInfo.InvariantCulture) : "–",
                H(r.FirstTouchMedianHours), H(r.FirstTouchP90Hours), r.AttemptsPerLead.ToString("0.0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(t);
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
    private static string H(double? h) => h is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "–";
    private static string Target(int? target, bool? met) => target is null ? "–" : $"{target} {(met == true ? "met" : "missed")}";
}
