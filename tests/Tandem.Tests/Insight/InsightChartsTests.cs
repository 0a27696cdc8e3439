using Tandem.Components.Insight;
using Tandem.Features.Insight;

namespace Tandem.Tests.Insight;

/// <summary>The pure parts of the Insight charts: what is charted, in which order, and the partial last period.</summary>
public class InsightChartsTests
{
    private static InsightTable Channels(params (string Seg, string Cur, double? PerOpp, double? Roi)[] rows) =>
        new("channels", "t", [new("segment", "channel", "text"), new("currency", "Currency", "text")],
            [new("costPerOpportunity", "Cost per opportunity", "money"), new("roi", "ROI", "ratio")],
            rows.Select(r => new InsightRow([r.Seg, r.Cur], [r.PerOpp, r.Roi], [$"/api/insight/channels/drill?seg={r.Seg}", null])).ToList(), []);

    [Fact]
    public void Cost_per_opportunity_bars_are_lowest_first_and_skip_rows_without_a_value()
    {
        var t = Channels(("Email", "USD", 300, 2), ("Events", "USD", 100, 5), ("Direct", "USD", null, null));
        var bars = ChannelCharts.Bars(t, "costPerOpportunity", ascending: true);
        Assert.Equal(["Events", "Email"], bars.Select(b => b.Label));
        Assert.Equal("/insight/drill/channels?seg=Events", bars[0].Href);
        Assert.Equal(["Events", "Email"], ChannelCharts.Bars(t, "roi", ascending: false).Select(b => b.Label));
    }

    [Fact]
    public void Bars_name_the_currency_only_when_there_are_several()
    {
        var bars = ChannelCharts.Bars(Channels(("Email", "USD", 300, 2), ("Email", "EUR", 200, 1)), "costPerOpportunity", ascending: true);
        Assert.Equal(["Email (EUR)", "Email (USD)"], bars.Select(b => b.Label));
        // A row without money has no currency; one currency and "none" is still one currency.
        var one = ChannelCharts.Bars(Channels(("Email", "USD", 300, 2), ("(none)", "", null, 0)), "roi", ascending: false);
        Assert.Equal(["Email", "(none)"], one.Select(b => b.Label));
    }

    [Fact]
    public void Win_rate_months_are_the_last_twelve_when_the_period_is_open_and_the_periods_months_otherwise()
    {
        var now = new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc);
        var open = WinLossCharts.Months(null, null, now);
        Assert.Equal(12, open.Count);
        Assert.Equal(new DateTime(2026, 1, 1), open[0]);
        Assert.Equal(new DateTime(2026, 12, 1), open[^1]);
        // An exclusive end on the 1st of a month leaves that month out.
        var q = WinLossCharts.Months(new DateTime(2026, 1, 15, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), now);
        Assert.Equal([new DateTime(2026, 1, 1), new DateTime(2026, 2, 1), new DateTime(2026, 3, 1)], q);
    }

    [Fact]
    public void Win_rate_adds_won_and_lost_over_currency_rows()
    {
        var t = new InsightTable("deals", "t", [new("segment", "s", "text"), new("currency", "c", "text")],
            [new("won", "Won", "count"), new("lost", "Lost", "count"), new("winRate", "Win rate", "rate")],
            [new(["all", "USD"], [3, 1, 0.75], [null, null, "/api/insight/deals/drill?x=1"]), new(["all", "EUR"], [1, 3, 0.25], [null, null, null])], []);
        var p = WinLossCharts.Rate(t, new DateTime(2026, 3, 1));
        Assert.Equal(0.5, p!.Rate);
        Assert.Equal("Mar 2026", p.Month);
        Assert.Null(p.Href); // two currency rows: no single set of deals to open
        var none = t with { Rows = [new(["all", "USD"], [0, 0, null], [null, null, null])] };
        Assert.Null(WinLossCharts.Rate(none, new DateTime(2026, 3, 1)));
    }

    [Fact]
    public void Reason_bars_sum_over_segments_and_sort_by_count()
    {
        var t = new InsightTable("reasons", "t", [new("segment", "s", "text"), new("kind", "k", "text"), new("reason", "r", "text")],
            [new("count", "Count", "count"), new("share", "Share", "rate")],
            [new(["a", "Lost", "price"], [2, 0.5], ["/x", "/x"]), new(["b", "Lost", "price"], [3, 1], ["/y", "/y"]),
             new(["a", "Lost", "timing"], [4, 0.5], ["/z", "/z"]), new(["a", "Rejected", "no budget"], [1, 1], ["/w", "/w"])], []);
        var kinds = WinLossCharts.ReasonBars(t);
        var lost = kinds.Single(k => k.Kind == "Lost").Bars;
        Assert.Equal([("price", 5.0), ("timing", 4.0)], lost.Select(b => (b.Label, b.Value)));
        Assert.All(lost, b => Assert.Null(b.Href)); // split by segment: a summed bar has no single drill
        Assert.Single(kinds.Single(k => k.Kind == "Rejected").Bars);
    }

    [Fact]
    public void A_partial_last_period_is_dashed_and_labelled()
    {
        var labels = new[] { "2026-10", "2026-11", "2026-12" };
        var series = new[] { new Series("MQL", [10, 12, 1], "#000") };
        var partial = Charts.Trend(labels, series, partialLast: true).Value;
        Assert.Contains("stroke-dasharray", partial);
        Assert.Contains("2026-12: partial", partial);
        var whole = Charts.Trend(labels, series).Value;
        Assert.DoesNotContain("stroke-dasharray", whole);
        Assert.DoesNotContain("partial", whole);
    }
}
