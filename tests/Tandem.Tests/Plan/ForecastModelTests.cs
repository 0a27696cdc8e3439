using Tandem.Data;
using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

public class ForecastModelTests
{
    private static readonly DateTime T0 = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A steady history: every week two deals start; even-numbered ones win after 4 weeks, odd ones lose after 2.</summary>
    private static DealBookBuilder Steady(int weeks)
    {
        var b = new DealBookBuilder();
        for (var w = 0; w < weeks; w++)
        for (var k = 0; k < 2; k++)
        {
            var created = T0.AddDays(7 * w);
            if (k == 0) b.Add(created, created.AddDays(28), Outcome.Won, 1_000_00, "Won");
            else b.Add(created, created.AddDays(14), Outcome.Lost, 0, "Lost");
        }
        return b;
    }

    [Fact]
    public void A_deal_open_at_three_weeks_wins_within_two_weeks_as_often_as_history_says()
    {
        var book = Steady(40).Add(T0.AddDays(7 * 40 - 21), null, Outcome.Open, 1_000_00).Build();
        var at = T0.AddDays(7 * 40);
        var model = WinModel.Build(book, "USD", Tandem.Features.Insight.Clock.Of(at), 14 * 86_400);
        // Open at age 3 weeks in history: only the winners (losers closed at 2 weeks); all won at 4 weeks, within 2 weeks.
        var p = model.Probability(book, book.Count - 1);
        Assert.InRange(p, 0.85, 1.0);
        // At age 0 with a 2-week horizon nobody wins in time (winners take 4 weeks).
        Assert.InRange(WinModel.Build(book, "USD", Tandem.Features.Insight.Clock.Of(at), 14 * 86_400).Overall, 0, 0.6);
    }

    [Fact]
    public void A_frozen_forecast_reads_nothing_recorded_after_its_moment()
    {
        var at = T0.AddDays(7 * 30 - 3);
        var (start, end) = (at, at.AddDays(91));
        var before = Steady(30).Build();
        // The same history plus everything that happened later: later deals, later closes.
        var after = Steady(45).Build();
        var a = Forecaster.Build(before, "USD", start, end, at, knownAmounts: false);
        var b = Forecaster.Build(after, "USD", start, end, at, knownAmounts: false);
        Assert.Equal(a.Expected, b.Expected, 6);
        Assert.Equal(a.Open.Count, b.Open.Count);
        Assert.Equal(Baselines.WeightedPipeline(before, "USD", start, end, at, false), Baselines.WeightedPipeline(after, "USD", start, end, at, false), 6);
    }

    [Fact]
    public void A_steady_business_is_forecast_close_to_what_it_books()
    {
        var book = Steady(80).Build();
        var (start, end) = (T0.AddDays(7 * 60), T0.AddDays(7 * 73));
        var actual = Backtest.Actual(book, "USD", start, end);
        var f = Forecaster.Build(book, "USD", start, end, start, knownAmounts: false);
        Assert.Equal(13 * 1_000_00, actual);
        Assert.InRange(f.Expected / actual, 0.9, 1.1);
    }
}
