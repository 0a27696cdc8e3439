using Tandem.Features.Learning;

namespace Tandem.Tests.Learning;

/// <summary>The unit economics maths on figures worked by hand (docs/metrics.md).</summary>
public class UnitEconomicsTests
{
    private static readonly EconomicsSettings Settings = new()
    {
        Margin = 0.8, Retention = 0.5, ContractMonths = 12, SalesCostPerCustomer = 100,
        SalesCost = new(StringComparer.Ordinal) { ["Software"] = 2000 },
    };

    [Fact]
    public void Ltv_cac_and_payback_follow_the_settings_and_rates_carry_wilson_intervals()
    {
        // Software: 200 people, 50 SQLs, 10 customers who won 60,000, 8,000 of campaign cost.
        var e = UnitEconomics.One(new SegmentCounts("Software", 200, 50, 10, 60_000, 8_000), Settings);
        Assert.Equal(0.25, e.SqlRate);
        Assert.Equal(0.05, e.CustomerRate);
        Assert.Equal(6_000, e.AverageWon);
        Assert.Equal(9_600, e.Ltv!.Value, 6);           // 6,000 × 0.8 × 1/(1 − 0.5)
        Assert.Equal(3_000, e.SalesCost);               // 2,000 for the segment + 100 × 10 customers
        Assert.Equal(1_100, e.Cac!.Value, 6);           // (8,000 + 3,000) / 10
        Assert.Equal(9_600 / 1_100.0, e.LtvToCac!.Value, 6);
        Assert.Equal(2.75, e.PaybackMonths!.Value, 6);  // 1,100 / (6,000 × 0.8 / 12)
        // Wilson 95 % for 10 of 200: 2.74 % to 8.96 %.
        Assert.Equal(0.0274, e.CustomerInterval.Low, 4);
        Assert.Equal(0.0896, e.CustomerInterval.High, 4);
        Assert.False(e.Noisy);
    }

    [Fact]
    public void Small_segments_are_noisy_and_not_ranked_however_good_they_look()
    {
        var rows = UnitEconomics.Compute(
        [
            new SegmentCounts("Tiny", 12, 3, 2, 30_000, 100),      // LTV:CAC 160, but 12 people
            new SegmentCounts("Retail", 100, 20, 8, 16_000, 3_200),
            new SegmentCounts("Zero", 40, 5, 0, 0, 500),            // no customer: no CAC, no ratio
            new SegmentCounts("Software", 200, 50, 10, 60_000, 8_000),
        ], Settings);
        Assert.Equal(["Software", "Retail", "Tiny", "Zero"], rows.Select(r => r.Counts.Segment));
        Assert.Equal([1, 2, null, null], rows.Select(r => r.Rank));
        Assert.Equal(["#1", "#2", "noisy", "noisy"], rows.Select(r => r.Verdict));

        var retail = rows[1];
        Assert.Equal(3_200, retail.Ltv!.Value, 6);      // 2,000 × 0.8 / 0.5
        Assert.Equal(500, retail.Cac!.Value, 6);        // (3,200 + 8 × 100) / 8
        Assert.Equal(6.4, retail.LtvToCac!.Value, 6);
        Assert.Equal(3.75, retail.PaybackMonths!.Value, 6);

        var tiny = rows[2];
        Assert.True(tiny.Noisy);
        Assert.Equal(160, tiny.LtvToCac!.Value, 6);     // shown, never ranked
        var zero = rows[3];
        Assert.Equal(0.0, zero.CustomerRate);
        Assert.Null(zero.Cac);
        Assert.Null(zero.LtvToCac);
        Assert.Null(zero.PaybackMonths);
        Assert.Equal(0, zero.CustomerInterval.Low);
        Assert.Equal(0.0876, zero.CustomerInterval.High, 4);  // Wilson 95 % for 0 of 40
    }

    [Fact]
    public void Without_settings_ltv_is_the_average_won_amount_and_cac_the_campaign_cost_per_customer()
    {
        var e = UnitEconomics.One(new SegmentCounts("All", 50, 10, 5, 10_000, 1_000), new EconomicsSettings());
        Assert.Equal((2_000.0, 200.0, 10.0), (e.Ltv!.Value, e.Cac!.Value, e.LtvToCac!.Value));
        Assert.Equal(1.2, e.PaybackMonths!.Value, 6);   // 200 / (2,000 / 12)
    }

    [Theory]
    [InlineData(0.0, 0.0, "Margin")]
    [InlineData(1.0, 1.0, "Retention")]
    public void Settings_out_of_range_are_named(double margin, double retention, string field)
    {
        var problem = new EconomicsSettings { Margin = margin == 0 ? 0 : 0.5, Retention = retention }.Problem();
        Assert.NotNull(problem);
        Assert.Contains($"Learning:Economics:{field}", problem);
        Assert.Null(new EconomicsSettings().Problem());
    }
}
