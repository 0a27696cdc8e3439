using System.CommandLine;
using System.Globalization;
using System.Text.Json;
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

    /// <summary>The options each report reads besides --from, --to, --by, --filter, --json and --csv: its --help lists only these.</summary>
    private static readonly Dictionary<string, string[]> Own = new()
    {
        [FunnelReport.Name] = ["--stage", "--within", "--days"],
        [FlowReport.Name] = ["--interval"],
        [DealsReport.Name] = ["--basis", "--days"],
        [ReasonsReport.Name] = [],
        [ChannelsReport.Name] = [],
        [AttributionReport.Name] = ["--basis", "--model", "--half-life", "--window"],
        [AttributionReport.CompareName] = ["--basis", "--half-life", "--window"],
        [Features.Learning.EconomicsReport.Name] = [],
    };

    /// <summary>One report as a verb elsewhere (`tandem learn economics`), with the same options and output.</summary>
    public static Command ForReport(string verb, string reportName, string description) => For(verb, reportName, description);

    private static Command For(string verb, string reportName, string description)
    {
        var report = Reports.Find(reportName)!;
        var cohorts = Cohorts.Reports.Contains(reportName) ? ", " + string.Join(", ", InsightQuery.CohortFields) + " (the cohort's period)" : "";
        var from = new Option<DateTime?>("--from") { Description = "Start of the period, UTC, inclusive (e.g. 2026-01-01)." };
        var to = new Option<DateTime?>("--to") { Description = "End of the period, UTC, exclusive." };
        var by = new Option<string?>("--by") { Description = "Split by: " + string.Join(", ", Dimensions.Fields) + cohorts + ", or property:NAME." };
        var filter = new Option<string[]>("--filter") { Description = "field:value; repeat to combine.", AllowMultipleArgumentsPerToken = false };
        var stage = new Option<LifecycleStage?>("--stage") { Description = "The cohort's stage (default Inquiry)." };
        var within = new Option<int?>("--within") { Description = "The within-N-days horizon (default 90)." };
        var interval = new Option<string?>("--interval") { Description = "week, month (default) or quarter." };
        var basis = new Option<string?>("--basis") { Description = "Which date puts a deal in the period: created (default) or closed." };
        var model = new Option<string?>("--model") { Description = string.Join(", ", Attribution.Models) + " (default w-shaped)." };
        var halfLife = new Option<double?>("--half-life") { Description = "Time-decay half-life in days (default 7)." };
        var window = new Option<int?>("--window") { Description = "Influence window in days before the deal (default 90)." };
        var days = new Option<string?>("--days")
            { Description = "Velocity and cycle in elapsed days (default, fractional: 14.65) or calendar days (whole days between the dates: 14)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (rates as fractions: 0.6315)." };
        var csv = new Option<bool>("--csv") { Description = "Print the report as CSV (rates as fractions)." };
        var cmd = new Command(verb, description) { from, to, by, filter };
        Option[] optional = [stage, within, interval, basis, model, halfLife, window, days];
        foreach (var o in optional.Where(o => Own[reportName].Contains(o.Name))) cmd.Options.Add(o);
        cmd.Options.Add(json);
        cmd.Options.Add(csv);
        cmd.SetAction(async (r, ct) =>
        {
            var q = new InsightArgs
            {
                From = r.GetValue(from), To = r.GetValue(to), By = r.GetValue(by), Filter = r.GetValue(filter), Stage = r.GetValue(stage),
                Within = r.GetValue(within), Interval = r.GetValue(interval), Basis = r.GetValue(basis), Model = r.GetValue(model),
                HalfLife = r.GetValue(halfLife), Window = r.GetValue(window), Days = r.GetValue(days),
            }.ToQuery();
            var errors = Reports.Validate(report, q);
            if (errors.Any)
            {
                foreach (var (field, messages) in errors.ToDictionary()) Console.Error.WriteLine($"--{Kebab(field)}: {string.Join(" ", messages)}");
                return 2;
            }
            await using var db = CliApp.StorageOf(r).Open();
            await Storage.MigrateAsync(db, ct);
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
            var table = await Reports.RunAsync(report, facts, db, q, ct);
            if (r.GetValue(csv)) Console.Write(table.ToCsv());
            else if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(table, Json));
            else Print(table, Console.Out, TextTable.OutputWidth());
            return 0;
        });
        return cmd;
    }

    private static string Kebab(string field) => string.Concat(field.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>The human form: plain aligned text, or one block per row when wider than <paramref name="width"/> (decision 0058).</summary>
    public static void Print(InsightTable t, TextWriter w, int width)
    {
        var table = new TextTable(t.Title, [.. t.KeyColumns.Select(k => k.Label), .. t.Columns.Select(c => c.Label)],
            [.. t.KeyColumns.Select(_ => false), .. t.Columns.Select(_ => true)]) { KeyColumns = t.KeyColumns.Count };
        foreach (var row in t.Rows) table.Add([.. row.Keys, .. row.Values.Select((v, i) => Format(v, t.Columns[i].Kind))]);
        table.Write(w, width);
        if (t.Rows.Count == 0) w.WriteLine("Nothing in this period.");
        w.WriteLine();
        foreach (var line in t.Notes.SelectMany(n => TextTable.Wrap(n, width))) w.WriteLine(line);
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
