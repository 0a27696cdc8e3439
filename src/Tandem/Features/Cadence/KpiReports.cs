using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Cadence;

/// <summary>A report KPI measured over the record's eight weeks; <see cref="Broken"/> says why it could not be.</summary>
public sealed record ReportTrend(string Unit, bool HigherIsBetter, IReadOnlyList<Measured> Weeks, string? Broken = null);

/// <summary>
/// KPIs that name a column of any Insight report (decision 0094): the definition's checks, the report run over each week
/// through <see cref="Reports"/> (the same code the Insight pages and API use, so the KPI and the report always agree), and
/// the records behind the week's figure through the report's own drill-down.
/// </summary>
public static class KpiReports
{
    public static readonly string[] OptionNames = ["stage", "within", "interval", "basis", "model", "halfLife", "window", "days"];

    /// <summary>What is wrong with a report KPI that can be told without the data, field by field.</summary>
    public static IEnumerable<(string Field, string Message)> Problems(KpiDefinition k)
    {
        if (Reports.Find(k.Report ?? "") is not { } report)
        {
            yield return ("report", $"Unknown report \"{k.Report}\". Known: {string.Join(", ", Reports.All.Select(r => r.Name))}.");
            yield break;
        }
        if (k.TargetFromPlan) yield return ("targetFromPlan", "The plan has targets for MQLs, SALs and SQLs only; give a report KPI a fixed target.");
        if (string.IsNullOrWhiteSpace(k.Metric)) yield return ("metric", $"Name a column of the {report.Name} report as the metric.");
        var (q, bad) = Query(k, null, null);
        foreach (var b in bad) yield return b;
        foreach (var (field, messages) in Reports.Validate(report, q).ToDictionary())
            foreach (var m in messages) yield return (field == "filter" ? "filters" : $"options.{field}", m);
    }

    /// <summary>The metric checked against the columns the report really answers (they depend on the options: a funnel from
    /// MQL has no "reachedMQL"). Needs the facts, so the API and CLI call it after <see cref="Problems"/>.</summary>
    public static async Task<(string Field, string Message)?> ColumnProblemAsync(KpiDefinition k, InsightFacts f, TandemDb db, CancellationToken ct)
    {
        var report = Reports.Find(k.Report!)!;
        var now = db.UtcNow;
        var table = await Reports.RunAsync(report, f, db, Query(k, now.AddDays(-7), now).Query, ct, cached: false);
        var column = table.Columns.FirstOrDefault(c => c.Key == k.Metric);
        if (column is null)
            return ("metric", $"The {report.Name} report has no column \"{k.Metric}\". Its columns: {string.Join(", ", table.Columns.Where(c => c.Kind != "text").Select(c => c.Key))}.");
        return column.Kind == "text" ? ("metric", $"\"{k.Metric}\" is text, not a number; a KPI needs a number.") : null;
    }

    /// <summary>The report's query for one period, from the definition's filters and options; unreadable options come back as
    /// problems naming them.</summary>
    public static (InsightQuery Query, List<(string, string)> Problems) Query(KpiDefinition k, DateTime? from, DateTime? to)
    {
        var bad = new List<(string, string)>();
        var q = new InsightQuery { From = from, To = to, Filter = k.Filters is { Length: > 0 } fs ? fs : null };
        foreach (var (name, raw) in k.Options ?? [])
        {
            var v = raw?.Trim() ?? "";
            string field = $"options.{name}";
            int? Int() { if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n; bad.Add((field, $"'{name}' is a whole number, not \"{v}\".")); return null; }
            switch (name)
            {
                case "stage":
                    if (Enum.TryParse<LifecycleStage>(v, true, out var s) && !int.TryParse(v, out _)) q = q with { Stage = s };
                    else bad.Add((field, $"Unknown stage \"{v}\". Use one of {string.Join(", ", Enum.GetNames<LifecycleStage>())}."));
                    break;
                case "within": q = q with { Within = Int() }; break;
                case "window": q = q with { Window = Int() }; break;
                case "halfLife":
                    if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var h)) q = q with { HalfLife = h };
                    else bad.Add((field, $"'halfLife' is a number of days, not \"{v}\"."));
                    break;
                case "interval": q = q with { Interval = v }; break;
                case "basis": q = q with { Basis = v }; break;
                case "model": q = q with { Model = v }; break;
                case "days": q = q with { Days = v }; break;
                default: bad.Add((field, $"Unknown option \"{name}\". Use {string.Join(", ", OptionNames)}; filters go in \"filters\".")); break;
            }
        }
        return (q, bad);
    }

    /// <summary>Runs the KPI's report over each of the weeks between <paramref name="bounds"/> (UTC, one more than the weeks);
    /// the records behind the last week's figure come from the report's drill-down of the same cell.</summary>
    public static async Task<ReportTrend> MeasureAsync(KpiDefinition k, InsightFacts f, TandemDb db, IReadOnlyList<DateTime> bounds, string? currency,
        CancellationToken ct)
    {
        var weeks = bounds.Count - 1;
        if (Problems(k).FirstOrDefault() is { Field: not null } p)
            return new ReportTrend("", true, [], $"{p.Message} Change this KPI in a new scorecard version.");
        var report = Reports.Find(k.Report!)!;
        var measured = new List<Measured>(weeks);
        var (unit, higher) = ("", true);
        var kind = report.Subject == Subject.Person ? KpiMetrics.People : KpiMetrics.Deals;
        for (var w = 0; w < weeks; w++)
        {
            var q = Query(k, bounds[w], bounds[w + 1]).Query;
            var table = await Reports.RunAsync(report, f, db, q, ct, cached: false);
            var c = table.Columns.ToList().FindIndex(x => x.Key == k.Metric);
            if (c < 0 || table.Columns[c].Kind == "text")
                return new ReportTrend("", true, [], $"The {report.Name} report has no number \"{k.Metric}\" any more. Change this KPI in a new scorecard version.");
            var column = table.Columns[c];
            (unit, higher) = (Unit(column.Kind), k.LowerIsBetter is { } lower ? !lower : !LowerByDefault(column));
            var row = Pick(table, k.Row, currency);
            // A count over nobody is zero; a rate or a median over nobody has no value (the report's null).
            var value = row?.Values[c] ?? (column.Kind is "count" or "money" ? 0 : null);
            if (value is { } v && column.Kind == "rate") value = v * 100;
            var ids = w == weeks - 1 && row?.Drill[c] is { } link ? await RecordsAsync(report, f, db, q, link, ct) : [];
            measured.Add(new Measured(value, kind, ids));
        }
        return new ReportTrend(unit, higher, measured);
    }

    /// <summary>The row the KPI reads: the one whose keys start with <paramref name="keys"/>; by default the first, in the
    /// company currency when the report has a currency key.</summary>
    public static InsightRow? Pick(InsightTable t, string[]? keys, string? currency)
    {
        if (keys is { Length: > 0 })
            return t.Rows.FirstOrDefault(r => keys.Select((k, i) => i < r.Keys.Count && string.Equals(r.Keys[i], k, StringComparison.OrdinalIgnoreCase)).All(x => x));
        var cur = t.KeyColumns.ToList().FindIndex(c => c.Key == "currency");
        return cur < 0 || currency is null ? t.Rows.FirstOrDefault() : t.Rows.FirstOrDefault(r => r.Keys[cur] == currency);
    }

    private static async Task<IReadOnlyList<int>> RecordsAsync(ReportDef report, InsightFacts f, TandemDb db, InsightQuery q, string link, CancellationToken ct)
    {
        var at = link.IndexOf('?');
        if (at < 0) return [];
        var args = QueryHelpers.ParseQuery(link[at..]);
        var keys = args.TryGetValue("key", out var k) ? k.Select(x => x ?? "").ToList() : [];
        if (!args.TryGetValue("cell", out var cell) || cell.ToString() is not { Length: > 0 } name) return [];
        var members = await Reports.MembersAsync(report, f, db, q, keys, name, ct);
        return [.. members.Select(m => m.Subject == Subject.Person ? f.PersonId[m.Index] : f.OppId[m.Index])];
    }

    private static string Unit(string kind) => kind switch { "rate" => "percent", "count" => "count", "money" => "money", "days" => "days", _ => kind };

    /// <summary>Costs, days and payback periods are better lower; counts, rates, revenue and ratios higher.</summary>
    private static bool LowerByDefault(InsightColumn c) =>
        c.Kind == "days" || c.Key.Contains("cost", StringComparison.OrdinalIgnoreCase) || c.Key == "cac"
        || c.Key.Contains("payback", StringComparison.OrdinalIgnoreCase);
}
