using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Cli;

/// <summary>
/// `tandem funnel`, `tandem attribution` and `tandem insight REPORT`: the Insight reports on the command line, with the
/// same options as the API's query string; a table on a terminal, or --json / --csv.
/// </summary>
public static class InsightCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEnumerable<Command> Create()
    {
        yield return For("funnel", FunnelReport.Name, "Cohort conversion and velocity, e.g. tandem funnel --by channel --from 2026-01-01 --to 2026-04-01.");
        yield return For("attribution", AttributionReport.Name, "Pipeline and revenue credited by an attribution model, e.g. tandem attribution --model w-shaped.");
        var insight = new Command("insight", "Any Insight report: " + string.Join(", ", Reports.All.Select(r => r.Name)) + ".");
        foreach (var r in Reports.All) insight.Subcommands.Add(For(r.Name, r.Name, r.Summary));
        yield return insight;
    }

    private static Command For(string verb, string reportName, string description)
    {
        var report = Reports.Find(reportName)!;
        var from = new Option<DateTime?>("--from") { Description = "Start of the period, UTC, inclusive (e.g. 2026-01-01)." };
        var to = new Option<DateTime?>("--to") { Description = "End of the period, UTC, exclusive." };
        var by = new Option<string?>("--by") { Description = "Split by: " + string.Join(", ", Dimensions.Fields) + ", or property:NAME." };
        var filter = new Option<string[]>("--filter") { Description = "field:value; repeat to combine.", AllowMultipleArgumentsPerToken = false };
        var stage = new Option<LifecycleStage?>("--stage") { Description = "Funnel: the cohort's stage (default Inquiry)." };
        var within = new Option<int?>("--within") { Description = "Funnel: the within-N-days horizon (default 90)." };
        var interval = new Option<string?>("--interval") { Description = "Flow: week, month or quarter." };
        var basis = new Option<string?>("--basis") { Description = "Deals and attribution: created (default) or closed." };
        var model = new Option<string?>("--model") { Description = "Attribution: " + string.Join(", ", Attribution.Models) + "." };
        var halfLife = new Option<double?>("--half-life") { Description = "Attribution: time-decay half-life in days (default 7)." };
        var window = new Option<int?>("--window") { Description = "Attribution: influence window in days before the deal (default 90)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var csv = new Option<bool>("--csv") { Description = "Print the report as CSV." };
        var cmd = new Command(verb, description) { from, to, by, filter, stage, within, interval, basis, model, halfLife, window, json, csv };
        cmd.SetAction(async (r, ct) =>
        {
            var q = new InsightArgs
            {
                From = r.GetValue(from), To = r.GetValue(to), By = r.GetValue(by), Filter = r.GetValue(filter), Stage = r.GetValue(stage),
                Within = r.GetValue(within), Interval = r.GetValue(interval), Basis = r.GetValue(basis), Model = r.GetValue(model),
                HalfLife = r.GetValue(halfLife), Window = r.GetValue(window),
            }.ToQuery();
            var errors = Reports.Validate(report, q);
            if (errors.Any)
            {
                foreach (var (field, messages) in errors.ToDictionary()) Console.Error.WriteLine($"--{field}: {string.Join(" ", messages)}");
                return 2;
            }
            await using var db = CliApp.StorageOf(r).Open();
            await Storage.MigrateAsync(db, ct);
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
            var table = await Reports.RunAsync(report, facts, db, q, ct);
            if (r.GetValue(csv)) Console.Write(table.ToCsv());
            else if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(table, Json));
            else Print(table);
            return 0;
        });
        return cmd;
    }

    private static void Print(InsightTable t)
    {
        var table = new Table().Title(Markup.Escape(t.Title));
        foreach (var k in t.KeyColumns) table.AddColumn(Markup.Escape(k.Label));
        foreach (var c in t.Columns) table.AddColumn(new TableColumn(Markup.Escape(c.Label)).RightAligned());
        foreach (var row in t.Rows)
            table.AddRow(row.Keys.Select(Markup.Escape).Concat(row.Values.Select((v, i) => Format(v, t.Columns[i].Kind))).ToArray());
        AnsiConsole.Write(table);
        if (t.Rows.Count == 0) AnsiConsole.WriteLine("Nothing in this period.");
        foreach (var note in t.Notes) AnsiConsole.MarkupLine("[grey]" + Markup.Escape(note) + "[/]");
    }

    public static string Format(double? v, string kind) => v switch
    {
        null => "–",
        { } x when kind == "rate" => (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %",
        { } x when kind == "money" => x.ToString("N2", CultureInfo.InvariantCulture),
        { } x when kind is "days" or "ratio" => x.ToString("0.##", CultureInfo.InvariantCulture),
        { } x => x.ToString("N0", CultureInfo.InvariantCulture),
    };
}
