using System.Globalization;
using Tandem.Data;

namespace Tandem.Features.Funnel;

/// <summary>A UTC calendar quarter: Q1 is January to March. Funnel figures are reported per quarter
/// because that is the period plans, pipeline snapshots and the CFO's questions use.</summary>
public readonly record struct Quarter(int Year, int Number)
{
    public DateTime Start => new(Year, (Number - 1) * 3 + 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Exclusive: the first instant of the next quarter.</summary>
    public DateTime End => Next.Start;

    public Quarter Next => Number == 4 ? new(Year + 1, 1) : new(Year, Number + 1);

    public Quarter Previous => Number == 1 ? new(Year - 1, 4) : new(Year, Number - 1);

    public static Quarter Containing(DateTime utc) => new(utc.Year, (utc.Month - 1) / 3 + 1);

    public bool Contains(DateTime utc) => utc >= Start && utc < End;

    /// <summary>"Q2 2026", for people.</summary>
    public string Label => $"Q{Number} {Year}";

    /// <summary>"2026-Q2", for query strings; <see cref="TryParse"/> reads it back.</summary>
    public string Key => $"{Year}-Q{Number}";

    public static bool TryParse(string? text, out Quarter quarter)
    {
        quarter = default;
        var parts = text?.Trim().Split("-Q", StringSplitOptions.None);
        if (parts is not [var y, var n]
            || !int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year is < 1 or > 9998 || number is < 1 or > 4)
            return false;
        quarter = new(year, number);
        return true;
    }

    public override string ToString() => Label;
}

/// <summary>One step down the funnel and its flow ratio; <see cref="Ratio"/> is null when nobody entered <see cref="From"/>.</summary>
public sealed record FlowStep(LifecycleStage From, LifecycleStage To, int FromEntries, int ToEntries, double? Ratio);

/// <summary>The arithmetic of the funnel overview, kept pure so it is tested without a database.</summary>
public static class FunnelMath
{
    /// <summary>The main funnel, top to bottom. Flow ratios are taken between neighbours in this list.</summary>
    public static readonly IReadOnlyList<LifecycleStage> MainStages =
        [LifecycleStage.Inquiry, LifecycleStage.MQL, LifecycleStage.SAL, LifecycleStage.SQL, LifecycleStage.Customer];

    /// <summary>Side states: counted, but not part of any ratio (people leave the funnel there, they do not flow on).</summary>
    public static readonly IReadOnlyList<LifecycleStage> SideStages = [LifecycleStage.Nurture, LifecycleStage.Disqualified];

    /// <summary>
    /// Flow ratio = entries into B in the quarter / entries into A in the same quarter.
    /// </summary>
    /// <remarks>
    /// This is not a cohort conversion rate: the people entering B this quarter may have entered A last
    /// quarter, so the ratio can exceed 100 % when a backlog clears. It is what can be computed honestly
    /// from one quarter's stage changes; cohort conversion belongs to the Insight capability.
    /// </remarks>
    public static double? FlowRatio(int fromEntries, int toEntries) =>
        fromEntries <= 0 ? null : (double)toEntries / fromEntries;

    public static IReadOnlyList<FlowStep> Flows(IReadOnlyDictionary<LifecycleStage, int> entries)
    {
        var steps = new List<FlowStep>(MainStages.Count - 1);
        for (var i = 0; i + 1 < MainStages.Count; i++)
        {
            var (a, b) = (MainStages[i], MainStages[i + 1]);
            var (na, nb) = (entries.GetValueOrDefault(a), entries.GetValueOrDefault(b));
            steps.Add(new FlowStep(a, b, na, nb, FlowRatio(na, nb)));
        }
        return steps;
    }

    /// <summary>Bar length in percent of the largest value, so the longest bar fills its track; 0 when all are 0.</summary>
    public static double BarPercent(int value, int max) => max <= 0 ? 0 : Math.Round(100.0 * Math.Max(0, value) / max, 1);

    /// <summary>"42.5 %" or "–" when there is no ratio (nothing entered the upper stage).</summary>
    public static string FormatRatio(double? ratio) =>
        ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";
}
