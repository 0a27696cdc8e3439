using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Features.Insight;

namespace Tandem.Features.Cadence;

/// <summary>An ISO week: its key ("2026-W48") and its Monday.</summary>
public readonly record struct IsoWeek(int Year, int Number)
{
    public string Key => $"{Year}-W{Number:00}";
    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Number, DayOfWeek.Monday));
    public IsoWeek Previous() => Of(Monday.AddDays(-7));
    public IsoWeek Next() => Of(Monday.AddDays(7));
    public override string ToString() => Key;

    public static IsoWeek Of(DateOnly day)
    {
        var dt = day.ToDateTime(TimeOnly.MinValue);
        return new IsoWeek(ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    /// <summary>"2026-W48", "2026-w48" or "W48" (this year, per <paramref name="today"/>); null when it is not a week.</summary>
    public static IsoWeek? Parse(string? text, DateOnly today)
    {
        var t = text?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(t)) return null;
        var parts = t.Split("-W");
        var (y, w) = parts.Length == 2 ? (parts[0], parts[1]) : t.StartsWith('W') ? (ISOWeek.GetYear(today.ToDateTime(TimeOnly.MinValue)).ToString(CultureInfo.InvariantCulture), t[1..]) : ("", "");
        if (!int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100) return null;
        if (!int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > ISOWeek.GetWeeksInYear(year)) return null;
        return new IsoWeek(year, n);
    }
}

/// <summary>Everything read from the database for one week's record (<see cref="SyncGatherer"/>); the builder only arranges it.</summary>
/// <param name="Bounds">Nine instants (Insight clock): the starts of the eight weeks ending with this one, then this week's end.</param>
/// <param name="SlaByWeek">Per week of <see cref="Bounds"/>: the leads handed over that week with a settled SLA outcome (id, met).</param>
/// <param name="PlanTargets">The approved plan's weekly target by (Monday, funnel rank).</param>
/// <param name="ReportTrends">The KPIs that name an Insight report, measured by key (<see cref="KpiReports"/>).</param>
public sealed record SyncInputs(IsoWeek Week, string TimeZone, string? Currency, int? ScorecardVersion, IReadOnlyList<KpiDefinition> Kpis,
    InsightFacts Facts, int[] Bounds, int CurrencyCode, IReadOnlyList<(int Id, bool Met)>[] SlaByWeek,
    IReadOnlyDictionary<(DateOnly, int), double> PlanTargets, PacingPart? Pacing, SlaPart Sla, RejectionsPart Rejections,
    IReadOnlyList<LeadStory> Progressed, int ProgressedTotal, IReadOnlyList<StalledLead> Stalled, int StalledTotal, IReadOnlyList<NoteItem> Heard,
    IReadOnlyList<WinItem> Wins, IReadOnlyList<NoteItem> Reviews, IReadOnlyList<ActionRow> New, IReadOnlyList<ActionRow> Done,
    IReadOnlyList<ActionRow> CarriedOver, IReadOnlyDictionary<string, ReportTrend>? ReportTrends = null);

/// <summary>Builds the weekly record from its inputs, pure: same inputs, same document, same hash.</summary>
public static class SyncBuilder
{
    public const int Weeks = 8;
    public const int MaxRecords = 1000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() }, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static SyncDocument Build(SyncInputs i)
    {
        var kpis = i.Kpis.Select(k => Kpi(i, k)).ToList();
        var monday = i.Week.Monday;
        return Graded(new SyncDocument(SyncDocument.Schema1, i.Week.Key, monday, monday.AddDays(7), i.TimeZone, i.Currency, false, null,
            new ScorecardPart(i.ScorecardVersion, kpis), i.Pacing, i.Sla, i.Rejections, i.Progressed, i.ProgressedTotal, i.Stalled, i.StalledTotal,
            i.Heard, i.Wins, i.Reviews, new ActionsPart(i.New, i.Done, i.CarriedOver)));
    }

    /// <summary><paramref name="d"/> with the meeting's part replaced (the live page after a new note or action).</summary>
    public static SyncDocument WithMeeting(SyncDocument d, MeetingPart m) => Graded(d with { Heard = m.Heard, Reviews = m.Reviews, Actions = m.Actions });

    /// <summary>Marks a document with nothing in it as empty, with a sentence that says so.</summary>
    private static SyncDocument Graded(SyncDocument d)
    {
        var nothing = d.Scorecard.Kpis.All(k => k.RecordsTotal == 0) && d.Sla.Leads == 0 && d.Rejections.Total == 0 && d.ProgressedTotal == 0
            && d.StalledTotal == 0 && d.Heard.Count == 0 && d.Wins.Count == 0 && d.Reviews.Count == 0 && d.Actions.New.Count == 0
            && d.Actions.Done.Count == 0 && d.Actions.CarriedOver.Count == 0;
        return d with { Empty = nothing, EmptyNote = nothing ? $"Nothing was recorded in {d.Week}: no leads, deals, SLA clocks, notes or action items." : null };
    }

    /// <summary>One KPI graded; a KPI whose metric no longer exists is marked broken with its reason, never fails the record.</summary>
    public static KpiRow Kpi(SyncInputs i, KpiDefinition k)
    {
        var owner = k.Owner.ToString();
        if (k.Report is not null) return ReportKpi(i, k);
        if (KpiMetrics.Find(k.Metric) is not { } m)
            return new KpiRow(k.Key, k.Name, k.Metric, owner, k.Kind.ToString(), k.Timing.ToString(), "", null, k.Target, "fixed",
                KpiStatus.Broken.ToString(), $"The metric \"{k.Metric}\" no longer exists; change this KPI in a new scorecard version.",
                [], "", [], 0);
        var sla = i.SlaByWeek.Select(x => new Measured(x.Count == 0 ? null : 100.0 * x.Count(y => y.Met) / x.Count, KpiMetrics.Leads, [.. x.Select(y => y.Id)])).ToArray();
        var weeks = KpiMetrics.MeasureWeeks(m, k.Filter, i.Facts, i.Bounds, i.CurrencyCode, sla);
        var trend = weeks.Select(w => Round(w.Value)).ToArray();
        var current = weeks[^1];
        double? target = k.Target;
        var source = "fixed";
        if (k.TargetFromPlan && m.PlanStage is { } stage)
        {
            source = "plan";
            target = i.PlanTargets.TryGetValue((i.Week.Monday, stage), out var t) ? Round(t) : null;
        }
        var status = KpiGrade.Of(k, current.Value, target, m.HigherIsBetter);
        return new KpiRow(k.Key, k.Name, k.Metric, owner, k.Kind.ToString(), k.Timing.ToString(), m.Unit, Round(current.Value), target, source,
            status.ToString(), null, trend, current.RecordKind, [.. current.Records.Take(MaxRecords)], current.Records.Count);
    }

    /// <summary>A KPI over an Insight report: measured by the gatherer (the report needs the database for its slices), graded here.</summary>
    private static KpiRow ReportKpi(SyncInputs i, KpiDefinition k)
    {
        var metric = $"{k.Report}/{k.Metric}";
        var t = i.ReportTrends?.GetValueOrDefault(k.Key);
        if (t is not { Broken: null } || t.Weeks.Count == 0)
            return new KpiRow(k.Key, k.Name, metric, k.Owner.ToString(), k.Kind.ToString(), k.Timing.ToString(), t?.Unit ?? "", null, k.Target, "fixed",
                KpiStatus.Broken.ToString(), t?.Broken ?? $"The report \"{k.Report}\" was not measured.", [], "", [], 0);
        var current = t.Weeks[^1];
        var status = KpiGrade.Of(k, current.Value, k.Target, t.HigherIsBetter);
        return new KpiRow(k.Key, k.Name, metric, k.Owner.ToString(), k.Kind.ToString(), k.Timing.ToString(), t.Unit, Round(current.Value), k.Target, "fixed",
            status.ToString(), null, [.. t.Weeks.Select(w => Round(w.Value))], current.RecordKind, [.. current.Records.Take(MaxRecords)], current.Records.Count);
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 2) : null;

    public static string Serialize(SyncDocument d) => JsonSerializer.Serialize(d, Json);

    public static SyncDocument Parse(string json) => JsonSerializer.Deserialize<SyncDocument>(json, Json)
        ?? throw new InvalidDataException("The stored record is not a sync document.");

    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}
