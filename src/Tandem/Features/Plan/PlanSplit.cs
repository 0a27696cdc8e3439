using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>
/// Which line of a plan each person and each deal belongs to: everything in one line ("none"), or one line per value of an
/// Insight slice field — channel, team, region, industry, employees (band) or persona — read off the facts the way the
/// reports read them (a deal by its own owner and account, its primary person's channel and persona).
/// </summary>
public sealed class PlanSplit
{
    public const string None = "none";
    public static readonly string[] Fields = [None, "channel", "team", "region", "industry", "employees", "persona"];

    private readonly string[]? _people;
    private readonly string[]? _deals;

    private PlanSplit(string[]? people, string[]? deals) => (_people, _deals) = (people, deals);

    public static PlanSplit Of(InsightFacts f, string? split)
    {
        if (string.IsNullOrEmpty(split) || split == None) return new PlanSplit(null, null);
        var people = Dimensions.Build(f, split, Subject.Person);
        var deals = Dimensions.Build(f, split, Subject.Opportunity);
        return new PlanSplit([.. people.Codes.Select(c => people.Labels[c])], [.. deals.Codes.Select(c => deals.Labels[c])]);
    }

    /// <summary>The lines people fall in, in name order ("All" when not split).</summary>
    public IReadOnlyList<string> Lines => _people is null ? [FunnelRates.All] : [.. _people.Distinct().Order(StringComparer.Ordinal)];

    public string OfPerson(int i) => _people?[i] ?? FunnelRates.All;

    public string OfDeal(int o) => _deals?[o] ?? FunnelRates.All;

    public bool PersonIn(int i, string line) => line == FunnelRates.All || OfPerson(i) == line;

    public bool DealIn(int o, string line) => line == FunnelRates.All || OfDeal(o) == line;
}
