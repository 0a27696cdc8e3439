using System.Globalization;
using System.Text;
using Tandem.Api;
using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// The parameters every report takes (query string, CLI options). Dates are UTC; <see cref="To"/> is exclusive.
/// Not every report reads every field; each says which in <see cref="Reports"/>.
/// </summary>
public sealed record InsightQuery
{
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    /// <summary>The slice field to split by (<see cref="Dimensions.Fields"/> or property:NAME).</summary>
    public string? By { get; init; }
    /// <summary>"field:value" pairs, all of which must hold.</summary>
    public string[]? Filter { get; init; }
    /// <summary>Funnel: the cohort's stage (default Inquiry).</summary>
    public LifecycleStage? Stage { get; init; }
    /// <summary>Funnel: the "within N days" horizon (default 90).</summary>
    public int? Within { get; init; }
    /// <summary>Flow: week, month or quarter (default month).</summary>
    public string? Interval { get; init; }
    /// <summary>Deals and attribution: which date puts a deal in the period, "created" (default) or "closed".</summary>
    public string? Basis { get; init; }
    /// <summary>Attribution: the model (default w-shaped).</summary>
    public string? Model { get; init; }
    /// <summary>Attribution: half-life in days of the time-decay model (default 7).</summary>
    public double? HalfLife { get; init; }
    /// <summary>Attribution: days before the deal was created in which a touch counts as influence (default 90).</summary>
    public int? Window { get; init; }
    /// <summary>Velocity and cycle: "elapsed" (default, fractional days) or "calendar" (whole days between the UTC dates).</summary>
    public string? Days { get; init; }

    public bool CalendarDays => Days == "calendar";

    /// <summary>The cohort's period when <see cref="By"/> is cohort-week, cohort-month or cohort-quarter; else null.</summary>
    public string? CohortPeriod => By is { } b && CohortFields.Contains(b) ? b["cohort-".Length..] : null;

    public int From32 => From is { } f ? Clock.Of(f) : int.MinValue;
    public int To32 => To is { } t ? Clock.Of(t) : int.MaxValue;
    public bool HasPeriod => From is not null || To is not null;
    public bool InPeriod(int t) => t != Clock.None && t >= From32 && t < To32;

    public static readonly string[] Intervals = ["week", "month", "quarter"];
    public static readonly string[] Bases = ["created", "closed"];
    public static readonly string[] DayCounts = ["elapsed", "calendar"];
    /// <summary>Split by the period the cohort started in, in reports that have a cohort (decision 0057).</summary>
    public static readonly string[] CohortFields = ["cohort-week", "cohort-month", "cohort-quarter"];

    /// <summary>Checks what every report shares; reports add their own checks.</summary>
    public Errors Validate(Subject subject)
    {
        var e = new Errors();
        if (From is { } f && To is { } t && f > t) e.Add("from", $"'from' ({f:yyyy-MM-dd}) is after 'to' ({t:yyyy-MM-dd}).");
        if (By is { } by && CohortPeriod is null && Dimensions.Check(by, subject) is { } bad) e.Add("by", bad);
        foreach (var item in Filter ?? [])
        {
            var (field, _) = SplitFilter(item);
            if (field is null) e.Add("filter", $"Filter '{item}' must be field:value, e.g. channel:Email.");
            else if (Dimensions.Check(field, subject) is { } badField) e.Add("filter", badField);
        }
        if (Within is < 0) e.Add("within", "'within' must be 0 or more days.");
        if (Interval is { } i && !Intervals.Contains(i)) e.Add("interval", $"Unknown interval '{i}'. Use week, month or quarter.");
        if (Basis is { } b && !Bases.Contains(b)) e.Add("basis", $"Unknown basis '{b}'. Use created or closed.");
        if (Model is { } m && !Attribution.Models.Contains(m)) e.Add("model", $"Unknown model '{m}'. Use one of {string.Join(", ", Attribution.Models)}.");
        if (HalfLife is { } h && (double.IsNaN(h) || h < 0.01 || h > 36_500))
            e.Add("halfLife", "'halfLife' must be a number of days from 0.01 to 36,500.");
        if (Window is < 0) e.Add("window", "'window' must be 0 or more days.");
        if (Days is { } d && !DayCounts.Contains(d)) e.Add("days", $"Unknown day count '{d}'. Use elapsed (fractional days) or calendar (whole days between dates).");
        return e;
    }

    /// <summary>"channel:Email" → ("channel", "Email"); a property name may itself hold colons ("property:lead type:Hot" splits at the last).</summary>
    public static (string? Field, string Value) SplitFilter(string item)
    {
        var at = item.StartsWith(Dimensions.PropertyPrefix, StringComparison.Ordinal) ? item.LastIndexOf(':') : item.IndexOf(':');
        if (at <= 0 || (item.StartsWith(Dimensions.PropertyPrefix, StringComparison.Ordinal) && at < Dimensions.PropertyPrefix.Length)) return (null, "");
        return (item[..at], item[(at + 1)..]);
    }

    /// <summary>The query as a query string, so drill-down links repeat exactly what produced the number.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is null) return;
            var text = value switch
            {
                DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                double x => x.ToString(CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            parts.Add(name + "=" + Uri.EscapeDataString(text ?? ""));
        }
        Add("from", From); Add("to", To); Add("by", By);
        foreach (var f in Filter ?? []) Add("filter", f);
        Add("stage", Stage); Add("within", Within); Add("interval", Interval); Add("basis", Basis);
        Add("model", Model); Add("halfLife", HalfLife); Add("window", Window); Add("days", Days);
        return string.Join('&', parts);
    }

    public static string DrillSuffix(IEnumerable<string> keys, string cell)
    {
        var sb = new StringBuilder();
        foreach (var k in keys) sb.Append("&key=").Append(Uri.EscapeDataString(k));
        return sb.Append("&cell=").Append(Uri.EscapeDataString(cell)).ToString();
    }
}

/// <summary>The <c>by</c> and <c>filter</c> of a query, resolved against the facts.</summary>
public sealed class Slice
{
    private readonly Dimension? _by;
    private readonly (int[] Codes, int Code)[] _filters;

    private Slice(Dimension? by, (int[], int)[] filters) => (_by, _filters) = (by, filters);

    /// <summary>This slice's filters, split by <paramref name="by"/> instead (a cohort period).</summary>
    public Slice SplitBy(Dimension by) => new(by, _filters);

    public int Segments => _by?.Labels.Length ?? 1;

    public string Label(int segment) => _by?.Labels[segment] ?? "All";

    public int SegmentOf(int i) => _by?.Codes[i] ?? 0;

    /// <summary>The segment code of a label, or -1 when no such segment exists.</summary>
    public int SegmentCode(string label) => _by is null ? (label == "All" ? 0 : -1) : _by.CodeOf(label);

    public bool Pass(int i)
    {
        foreach (var (codes, code) in _filters)
            if (codes[i] != code) return false;
        return true;
    }

    public static async Task<Slice> ResolveAsync(InsightFacts f, Data.TandemDb db, InsightQuery q, Subject subject, CancellationToken ct,
        bool ignoreBy = false)
    {
        var by = q.By is { } field && !ignoreBy ? await Dimensions.GetAsync(f, db, field, subject, ct) : null;
        var filters = new List<(int[], int)>();
        foreach (var item in q.Filter ?? [])
        {
            var (name, value) = InsightQuery.SplitFilter(item);
            var d = await Dimensions.GetAsync(f, db, name!, subject, ct);
            // A value nobody has matches nobody (code -1), rather than being ignored.
            filters.Add((d.Codes, d.CodeOf(value)));
        }
        return new Slice(by, [.. filters]);
    }
}
