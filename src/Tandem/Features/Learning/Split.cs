using Tandem.Features.Insight;

namespace Tandem.Features.Learning;

/// <summary>Rows (indexes into <see cref="Examples"/>) of the three time-ordered sets, and the window they span.</summary>
public sealed record TimeSplit(int[] Train, int[] Validation, int[] Test, DateTime From, DateTime To, int Positives, int Negatives);

/// <summary>
/// The time-based split: matured examples in decision-time order, the oldest 70 % to train, the next 15 % to choose the
/// model, and the most recent 15 % (the latest matured cohort) to test it. Refuses, with the reason in words, rather than
/// train a model that could not be trusted (decision 0065).
/// </summary>
public static class Splitter
{
    public const int MinPerClass = 50;
    public const double TrainShare = 0.70, ValidationShare = 0.15;

    /// <summary>The split, or a refusal that names the counts and the window (or the earliest usable date).</summary>
    public static (TimeSplit? Split, string? Refusal) Split(Examples ex, LearnTarget target)
    {
        var matured = Enumerable.Range(0, ex.Count).Where(r => ex.Matured[r]).ToArray();
        if (matured.Length == 0)
        {
            if (ex.Count == 0) return (null, $"Nobody has become {Start(target)} yet, so there is nothing to learn from.");
            var earliest = Clock.ToDate(ex.Decision[0]).AddDays(target.HorizonDays);
            return (null, $"No cohort has matured yet: the label is \"{target.Sentence}\", and the first {Start(target)} " +
                          $"({Clock.ToDate(ex.Decision[0]):yyyy-MM-dd}) is only final after {target.HorizonDays} days. " +
                          $"The earliest usable date is {earliest:yyyy-MM-dd}; or choose a shorter --horizon-days.");
        }
        var positives = matured.Count(r => ex.Label[r]);
        var negatives = matured.Length - positives;
        DateTime from = Clock.ToDate(ex.Decision[matured[0]]), to = Clock.ToDate(ex.Decision[matured[^1]]);
        if (positives < MinPerClass || negatives < MinPerClass)
            return (null, $"Too few outcomes to learn from: {positives:N0} positive and {negatives:N0} negative " +
                          $"(\"{target.Sentence}\") among the {matured.Length:N0} people who became {Start(target)} from {from:yyyy-MM-dd} " +
                          $"to {to:yyyy-MM-dd} and have matured. At least {MinPerClass} of each are needed.");
        var trainEnd = (int)(matured.Length * TrainShare);
        var validationEnd = (int)(matured.Length * (TrainShare + ValidationShare));
        var split = new TimeSplit(matured[..trainEnd], matured[trainEnd..validationEnd], matured[validationEnd..], from, to, positives, negatives);
        foreach (var (name, rows) in new[] { ("validation", split.Validation), ("test", split.Test) })
        {
            var pos = rows.Count(r => ex.Label[r]);
            if (pos == 0 || pos == rows.Length)
                return (null, $"The {name} set ({rows.Length:N0} people, {Clock.ToDate(ex.Decision[rows[0]]):yyyy-MM-dd} to " +
                              $"{Clock.ToDate(ex.Decision[rows[^1]]):yyyy-MM-dd}) has {pos:N0} positive outcomes: it needs both kinds to measure a model.");
        }
        return (split, null);
    }

    private static string Start(LearnTarget t) => t.Start == LearnStart.Inquiry ? "an Inquiry" : "an MQL";
}
