using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Features.Plan;

/// <summary>A user's replacement for a measured number of one plan line, with the reason shown beside it. <see cref="What"/>
/// is a transition (inquiry-mql, mql-sal, sal-sql, sql-won), mean-won (minor units) or cost-per-sql (minor units).</summary>
public sealed record RateOverride(string Line, string What, double Value, string Reason);

/// <summary>What a planner decides: the period, the number, the buffer, the split, and any overrides.</summary>
public sealed record PlanInputs(string Period, string Currency, long TargetMinor, double Buffer = 0, string Split = "none", int WindowDays = 365,
    IReadOnlyList<RateOverride>? Overrides = null, IReadOnlyDictionary<string, double>? Shares = null);

/// <summary>One conversion of one line as the plan uses it: measured (with its sample), borrowed from all lines together when the
/// line's own sample is too thin (<see cref="Basis"/> says so), or overridden (with the reason).</summary>
public sealed record PlanRate(string Key, string Transition, double Value, double Measured, int Sample, int Converted, int HorizonDays,
    string? OverrideReason, string Basis = "own history");

/// <summary>One line of the plan (a channel, or everything): its share of the target, the numbers used and the weekly targets
/// <c>Weekly[stage][week]</c> (stage 0 Inquiry … 4 Won deals), fractional; screens round them.</summary>
public sealed record PlanLineContent(string Line, double Share, double MeanWon, int WonDeals, string? MeanWonOverride, PlanRate[] Rates,
    double? CostPerSql, string? CostOverride, double? Budget, double[][] Weekly);

/// <summary>
/// A plan version's whole content: the inputs and every number the walk used, frozen when drafted (rates are measured then),
/// so approvers sign exactly what they see and an edit of anything makes a new hash (earlier approvals no longer count).
/// </summary>
public sealed record PlanContent(PlanInputs Inputs, DateTime RatesAsOf, DateOnly PeriodStart, DateOnly PeriodEnd, DateOnly FirstWeek,
    double[][] Lags, int[] LagSamples, PlanLineContent[] Lines)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public int Weeks => Lines.Length == 0 ? 0 : Lines[0].Weekly[0].Length;

    public DateOnly Week(int w) => FirstWeek.AddDays(7 * w);

    /// <summary>Weeks of the grid that fall in the period (the ones before it are the lead-in the top of the funnel needs).</summary>
    public IEnumerable<int> PeriodWeeks() => Enumerable.Range(0, Weeks).Where(w => Week(w).AddDays(7) > PeriodStart && Week(w) < PeriodEnd);

    public double Total(int stage) => Lines.Sum(l => l.Weekly[stage].Sum());

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PlanContent FromJson(string json) =>
        JsonSerializer.Deserialize<PlanContent>(json, Json) ?? throw new JsonException("The plan is empty.");

    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..16];

    /// <summary>The walk's input, rebuilt from the frozen numbers (the round trip and pacing run on it).</summary>
    public IReadOnlyList<PlanLine> PlanLines() =>
        [.. Lines.Select(l => new PlanLine(l.Line, l.Share, l.MeanWon, [.. l.Rates.Select(r => r.Value)], l.CostPerSql))];

    /// <summary>The same plan as one line "All": weekly targets added up, the mean won amount weighted by each line's won deals
    /// (what the Revenue page paces against).</summary>
    public PlanContent Summed()
    {
        if (Lines.Length == 1 && Lines[0].Line == FunnelRates.All) return this;
        var weekly = Enumerable.Range(0, PlanStages.Count).Select(k => Enumerable.Range(0, Weeks).Select(w => Lines.Sum(l => l.Weekly[k][w])).ToArray()).ToArray();
        var won = Lines.Sum(l => l.Weekly[PlanStages.Won].Sum());
        var meanWon = won <= 0 ? Lines.Average(l => l.MeanWon) : Lines.Sum(l => l.Weekly[PlanStages.Won].Sum() * l.MeanWon) / won;
        var all = Lines[0] with { Line = FunnelRates.All, Share = 1, MeanWon = meanWon, Weekly = weekly, Budget = Lines.Sum(l => l.Budget ?? 0) };
        return this with { Inputs = Inputs with { Split = PlanSplit.None }, Lines = [all] };
    }

    public PlanGrid Grid() => new(FirstWeek, [.. Lines.Select(l => l.Line)], [.. Lines.Select(l => l.Weekly)]);
}
