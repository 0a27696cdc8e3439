using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

public class PlanBuilderTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly double[][] NoLag = [.. Enumerable.Range(0, 4).Select(_ => new double[] { 1 })];

    private static RateEvidence Rate(double rate, int sample) =>
        new(rate, sample, (int)(rate * sample), 60, new DateTime(2025, 9, 1), new DateTime(2026, 9, 1));

    private static LineHistory Line(string name, double share, double? meanWon, params RateEvidence[] rates) =>
        new(name, rates, meanWon, 10, share, 500_00);

    private static FunnelHistory History(params LineHistory[] lines) => new("EUR", Now, 365, lines, NoLag, [100, 100, 100, 100]);

    private static readonly RateEvidence[] Good = [Rate(0.5, 400), Rate(0.5, 200), Rate(0.5, 100), Rate(0.25, 50)];

    [Fact]
    public void A_target_of_zero_or_less_names_target_and_a_past_period_names_period()
    {
        var (content, errors) = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 0), History(Line("All", 1, 1000_00, Good)), Today);
        Assert.Null(content);
        Assert.Contains(errors, e => e.Field == "target" && e.Message.Contains("more than zero"));
        var (_, past) = PlanBuilder.Build(new PlanInputs("2026-Q3", "EUR", 100_00), History(Line("All", 1, 1000_00, Good)), Today);
        Assert.Contains(past, e => e.Field == "period" && e.Message.Contains("2026-Q3 is over"));
        var (_, nan) = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 100_00, Buffer: double.NaN), History(Line("All", 1, 1000_00, Good)), Today);
        Assert.Contains(nan, e => e.Field == "buffer");
    }

    [Fact]
    public void A_stage_with_no_history_names_the_line_the_stage_the_sample_and_the_override_that_fixes_it()
    {
        RateEvidence[] rates = [Rate(0.5, 400), Rate(0.5, 200), Rate(0, 0), Rate(0.25, 50)];
        var history = History(Line("Email", 1, 1000_00, rates));
        var (content, errors) = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 100_000_00, Split: "channel"), history, Today);
        Assert.Null(content);
        var (field, message) = Assert.Single(errors);
        Assert.Equal("rates.Email.sal-sql", field);
        Assert.Contains("Email: SAL → SQL has no history", message);
        Assert.Contains("\"what\": \"sal-sql\"", message);

        var fixedPlan = new PlanInputs("2027-Q1", "EUR", 100_000_00, Split: "channel", Overrides: [new("Email", "sal-sql", 0.4, "Sales says 40 % since the new SDR team")]);
        var (ok, none) = PlanBuilder.Build(fixedPlan, history, Today);
        Assert.Empty(none);
        var used = ok!.Lines[0].Rates[2];
        Assert.Equal((0.4, 0.0, 0, "Sales says 40 % since the new SDR team"), (used.Value, used.Measured, used.Sample, used.OverrideReason));
        Assert.All(ok.Lines.SelectMany(l => l.Weekly).SelectMany(w => w), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void A_rate_measured_as_zero_is_refused_with_its_sample_and_no_mean_won_amount_asks_for_one()
    {
        RateEvidence[] rates = [Rate(0.5, 400), Rate(0.5, 200), Rate(0.5, 100), Rate(0, 37)];
        var (_, errors) = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 100_000_00), History(Line("All", 1, null, rates)), Today);
        Assert.Contains(errors, e => e.Field == "rates.All.sql-won" && e.Message.Contains("none of 37"));
        Assert.Contains(errors, e => e.Field == "rates.All.mean-won" && e.Message.Contains("no deal was won in EUR"));
    }

    [Fact]
    public void A_channel_split_follows_revenue_shares_and_leaves_out_channels_that_brought_none()
    {
        var history = History(Line("Email", 0.2, 1000_00, Good), Line("Events", 0.8, 4000_00, Good), Line("Social", 0, null, Good));
        var (content, errors) = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 1_000_000_00, Split: "channel"), history, Today);
        Assert.Empty(errors);
        Assert.Equal(["Email", "Events"], content!.Lines.Select(l => l.Line));
        Assert.Equal(1_000_000_00 * 0.2 / 1000_00, content.Lines[0].Weekly[PlanStages.Won].Sum(), 6);
        Assert.Equal(1_000_000_00, PlanMath.ForwardRevenue(content.Grid(), content.PlanLines(), content.Lags), 3);
        // Shares given by the planner must add up to 1 and name known lines.
        var (_, bad) = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 100_00, Split: "channel", Shares: new Dictionary<string, double> { ["Email"] = 0.5 }), history, Today);
        Assert.Contains(bad, e => e.Field == "shares" && e.Message.Contains("add up to 0.5"));
    }

    [Fact]
    public void A_channel_too_thin_to_measure_borrows_the_rate_of_all_channels_and_says_so()
    {
        RateEvidence[] thin = [Rate(0.5, 400), Rate(0.5, 200), Rate(0.5, 100), Rate(0, 4)];
        var pooled = Line("All", 1, 2000_00, Good);
        var history = History(Line("Outbound", 0.3, 1000_00, thin), Line("Email", 0.7, 1000_00, Good)) with { Pooled = pooled };
        var (content, errors) = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 100_000_00, Split: "channel"), history, Today);
        Assert.Empty(errors);
        var rate = content!.Lines[0].Rates[3];
        Assert.Equal((0.25, 50, "all lines together (Outbound alone: 0 of 4)"), (rate.Value, rate.Sample, rate.Basis));
        Assert.Equal("own history", content.Lines[1].Rates[3].Basis);
    }

    [Fact]
    public void The_summed_plan_keeps_every_stage_total_and_the_planned_revenue()
    {
        var history = History(Line("Email", 0.2, 1000_00, Good), Line("Events", 0.8, 4000_00, Good));
        var c = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 1_000_000_00, 0.1, Split: "channel"), history, Today).Content!;
        var all = c.Summed();
        Assert.Equal("All", Assert.Single(all.Lines).Line);
        for (var k = 0; k < PlanStages.Count; k++) Assert.Equal(c.Total(k), all.Total(k), 6);
        Assert.Equal(1_100_000_00, all.Lines[0].Weekly[PlanStages.Won].Sum() * all.Lines[0].MeanWon, 2);
    }

    [Fact]
    public void Editing_any_number_changes_the_content_hash()
    {
        var history = History(Line("All", 1, 1000_00, Good));
        var a = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 100_000_00), history, Today).Content!;
        var b = PlanBuilder.Build(new PlanInputs("2027-Q1", "EUR", 100_000_00, Overrides: [new("All", "sql-won", 0.3, "new pricing")]), history, Today).Content!;
        Assert.NotEqual(a.Hash(), b.Hash());
        Assert.Equal(a.Hash(), PlanContent.FromJson(a.ToJson()).Hash());
        Assert.Contains(PlanDiff.Compare(a, b), d => d.Text == "SQL → Won: 25 % → 30 % (override: new pricing)");
    }
}
