using Tandem.Data;

namespace Tandem.Features.Stats;

/// <summary>The bits of an opportunity the summary needs.</summary>
public readonly record struct OpportunityFact(Outcome Outcome, long AmountMinor, DateTime? CreatedAt, DateTime? ClosedAt);

/// <summary>
/// Opportunity figures in major units. <see cref="WinRate"/> is a fraction, won / (won + lost), rounded to 4 decimals
/// (0.6315, shown as 63.15 % only in human output: decision 0057): no-decision and open deals are left out, as in the
/// reference figures. Cycle days are ClosedAt − CreatedAt, over the deals that have both dates (an import never invents a
/// missing one), elapsed or in whole calendar days. Other figures are rounded to 2 decimals; a figure over no deals is
/// null rather than 0.
/// </summary>
public sealed record OpportunitySummary(int Won, int Lost, int Open, int NoDecision, decimal? WinRate, decimal WonAmount,
    decimal? MeanWonAmount, double? MeanWonCycleDays, double? MedianWonCycleDays, double? MeanLostCycleDays, double? MedianLostCycleDays)
{
    public static OpportunitySummary From(IEnumerable<OpportunityFact> facts, bool calendarDays = false)
    {
        var all = facts as IReadOnlyCollection<OpportunityFact> ?? facts.ToList();
        var won = all.Where(f => f.Outcome == Outcome.Won).ToList();
        var lost = all.Where(f => f.Outcome == Outcome.Lost).ToList();
        var wonAmount = Money.ToMajor(won.Sum(f => f.AmountMinor));
        return new OpportunitySummary(
            won.Count, lost.Count, all.Count(f => f.Outcome == Outcome.Open), all.Count(f => f.Outcome == Outcome.NoDecision),
            won.Count + lost.Count == 0 ? null : Math.Round((decimal)won.Count / (won.Count + lost.Count), 4),
            wonAmount,
            won.Count == 0 ? null : Math.Round(wonAmount / won.Count, 2),
            Mean(CycleDays(won, calendarDays)), Median(CycleDays(won, calendarDays)), Mean(CycleDays(lost, calendarDays)), Median(CycleDays(lost, calendarDays)));
    }

    private static List<double> CycleDays(IEnumerable<OpportunityFact> deals, bool calendar) =>
        deals.Where(f => f is { CreatedAt: not null, ClosedAt: not null })
            .Select(f => calendar ? (f.ClosedAt!.Value.Date - f.CreatedAt!.Value.Date).TotalDays : (f.ClosedAt!.Value - f.CreatedAt!.Value).TotalDays)
            .Order().ToList();

    private static double? Mean(List<double> xs) => xs.Count == 0 ? null : Math.Round(xs.Average(), 2);

    /// <summary>Expects a sorted list; the mean of the two middle values when the count is even.</summary>
    private static double? Median(List<double> xs) => xs.Count == 0 ? null
        : Math.Round(xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2, 2);
}
