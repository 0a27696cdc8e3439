using System.Globalization;
using Microsoft.AspNetCore.Components;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Components.Insight;

/// <summary>
/// What the Insight pages share: the report query read from the address bar (the same names as the API's query
/// string, so a page address and an API address differ only in their path), and running a report with its errors.
/// </summary>
public abstract class InsightPageBase : ComponentBase
{
    [Inject] public TandemDb Db { get; set; } = null!;
    [Inject] public InsightStore Store { get; set; } = null!;
    /// <summary>For reports that read settings per request (the economics report's).</summary>
    [Inject] public IServiceProvider Services { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "from")] public string? FromText { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToText { get; set; }
    [SupplyParameterFromQuery] public string? By { get; set; }
    [SupplyParameterFromQuery] public string[]? Filter { get; set; }
    [SupplyParameterFromQuery(Name = "stage")] public string? StageText { get; set; }
    [SupplyParameterFromQuery] public int? Within { get; set; }
    [SupplyParameterFromQuery] public string? Interval { get; set; }
    [SupplyParameterFromQuery] public string? Basis { get; set; }
    [SupplyParameterFromQuery] public string? Model { get; set; }
    [SupplyParameterFromQuery] public int? Window { get; set; }

    /// <summary>Custom property names, offered as property:NAME in the split-by list.</summary>
    protected string[] PropertyNames { get; private set; } = [];
    /// <summary>The channel taxonomy of the facts the page's reports ran on.</summary>
    protected Features.Channels.ChannelSet Channels { get; private set; } = Features.Channels.ChannelSet.Default;

    /// <summary>Problems with the address bar's values, by field; shown above the report instead of an error page.</summary>
    protected IDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    protected InsightQuery Query()
    {
        var bad = new Dictionary<string, string[]>();
        DateTime? Date(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)) return d;
            bad[field] = [$"'{text}' is not a date (use 2026-01-31)."];
            return null;
        }
        LifecycleStage? stage = Enum.TryParse<LifecycleStage>(StageText, true, out var s) ? s : null;
        var q = new InsightArgs
        {
            From = Date(FromText, "from"), To = Date(ToText, "to"), By = By, Filter = Filter, Stage = stage, Within = Within,
            Interval = Interval, Basis = Basis, Model = Model, Window = Window,
        }.ToQuery();
        Errors = bad;
        return q;
    }

    /// <summary>Runs the report, or returns null and fills <see cref="Errors"/> when the query is not valid.</summary>
    protected async Task<InsightTable?> RunAsync(string report, InsightQuery q)
    {
        var def = Reports.Find(report)!;
        var errors = Reports.Validate(def, q);
        if (errors.Any || Errors.Count > 0)
        {
            Errors = Errors.Concat(errors.ToDictionary()).ToDictionary(kv => kv.Key, kv => kv.Value);
            return null;
        }
        var facts = await Store.GetAsync(Db, CancellationToken.None);
        Channels = facts.Channels;
        PropertyNames = await Dimensions.PropertyNamesAsync(facts, Db, CancellationToken.None);
        return (await Reports.RunAsync(def, facts, Db, q, CancellationToken.None, services: Services)) with { AsOf = Store.AsOf };
    }

    /// <summary>The page address of a drill link the API gave: /api/insight/R/drill?… → /insight/drill/R?…</summary>
    public static string? PageLink(string? apiLink) =>
        apiLink is null ? null : apiLink.StartsWith("/api/insight/", StringComparison.Ordinal)
            ? "/insight/drill/" + apiLink["/api/insight/".Length..].Replace("/drill?", "?", StringComparison.Ordinal) : apiLink;

    public static string CsvLink(string report, InsightQuery q) =>
        $"/api/insight/{report}?{q.ToQueryString()}{(q.ToQueryString().Length > 0 ? "&" : "")}format=csv";
}
