using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>An open deal as the simulation sees it: its chance to be won in the period, and its amount (null: unknown, drawn
/// from the won amounts).</summary>
public sealed record OpenDeal(int DealId, string Name, int OwnerId, string Stage, int AgeWeeks, double Probability, long? Amount);

/// <summary>Deals not created yet: expected arrivals in one remaining week, and their chance to be won before the period ends.</summary>
public sealed record FutureWeek(DateTime WeekStart, double Arrivals, double Probability);

/// <summary>Everything the forecast of one period in one currency rests on, as known at <see cref="At"/>.</summary>
public sealed class ForecastInputs
{
    public required string Currency { get; init; }
    public required DateTime At { get; init; }
    public required DateTime PeriodStart { get; init; }
    public required DateTime PeriodEnd { get; init; }
    /// <summary>Won in the period up to <see cref="At"/>.</summary>
    public required long Booked { get; init; }
    public required IReadOnlyList<OpenDeal> Open { get; init; }
    public required IReadOnlyList<FutureWeek> Future { get; init; }
    /// <summary>Amounts of deals won in the year before <see cref="At"/>: what an unknown amount is drawn from.</summary>
    public required long[] WonAmounts { get; init; }
    public required double Slip { get; init; }
    public required long ModelSamples { get; init; }

    /// <summary>Worked out once: callers use it per open deal, and averaging a year of wins for each was most of the backtest's time.</summary>
    public double MeanWon => _meanWon ??= WonAmounts.Length == 0 ? 0 : WonAmounts.Average(a => (double)a);
    private double? _meanWon;

    /// <summary>The expected bookings at period end: what is booked, plus each open deal's chance times its amount, plus the
    /// expected wins among deals still to be created.</summary>
    public double Expected =>
        Booked + Open.Sum(d => d.Probability * (d.Amount ?? MeanWon)) + Future.Sum(f => f.Arrivals * f.Probability) * MeanWon;
}
