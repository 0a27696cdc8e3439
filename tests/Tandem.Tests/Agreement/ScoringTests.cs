using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

/// <summary>Engagement maths on hand-made cases: points, decay by half-life, caps per period, negative signals.</summary>
public class ScoringTests
{
    private static readonly DateTime Monday = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static TouchFact T(DateTime at, TouchType type, Channel? ch = null, int? campaign = null) => new(at, type, ch ?? Channel.Organic, campaign);

    [Fact]
    public void Points_add_up_without_decay()
    {
        var s = new Scoring(new EngagementSection(null, [new ScoreRule("Demo", 40, TouchType.DemoRequest), new ScoreRule("Visit", 2, TouchType.WebVisit)]));
        var state = s.NewState();
        s.Apply(state, T(Monday, TouchType.WebVisit));
        s.Apply(state, T(Monday.AddDays(100), TouchType.DemoRequest));
        Assert.Equal(42, state.Score);
        Assert.Equal(42, s.ScoreAt(state, Monday.AddYears(5)));
    }

    [Fact]
    public void A_touch_is_worth_half_after_one_half_life_and_a_quarter_after_two()
    {
        var s = new Scoring(new EngagementSection(30, [new ScoreRule("Demo", 40, TouchType.DemoRequest)]));
        var state = s.NewState();
        s.Apply(state, T(Monday, TouchType.DemoRequest));
        Assert.Equal(20, s.ScoreAt(state, Monday.AddDays(30)), 9);
        Assert.Equal(10, s.ScoreAt(state, Monday.AddDays(60)), 9);
        // A second touch 30 days later: 20 left of the first plus 40 new.
        s.Apply(state, T(Monday.AddDays(30), TouchType.DemoRequest));
        Assert.Equal(60, state.Score, 9);
        Assert.Equal(30, s.ScoreAt(state, Monday.AddDays(60)), 9);
    }

    [Fact]
    public void Criteria_combine_and_every_matching_rule_counts()
    {
        var s = new Scoring(new EngagementSection(null,
        [
            new ScoreRule("Any paid search", 5, Channel: Channel.PaidSearch),
            new ScoreRule("Form fill", 10, TouchType.FormFill),
            new ScoreRule("Campaign 7 form", 20, TouchType.FormFill, CampaignId: 7),
        ]));
        var state = s.NewState();
        var lines = new List<(int Rule, int Raw, int Counted)>();
        s.Apply(state, T(Monday, TouchType.FormFill, Channel.PaidSearch, 7), lines);
        Assert.Equal(35, state.Score);
        Assert.Equal([0, 1, 2], lines.Select(l => l.Rule));
        s.Apply(state, T(Monday, TouchType.FormFill, Channel.Email, 8));
        Assert.Equal(45, state.Score);
    }

    [Fact]
    public void A_cap_limits_a_rule_per_period_and_resets_in_the_next_period()
    {
        var s = new Scoring(new EngagementSection(null, [new ScoreRule("Opens", 2, TouchType.EmailOpen, Cap: new ScoreCap(5, 7))]));
        var state = s.NewState();
        var lines = new List<(int Rule, int Raw, int Counted)>();
        for (var i = 0; i < 4; i++) s.Apply(state, T(Monday.AddHours(i), TouchType.EmailOpen), lines);
        Assert.Equal(5, state.Score);                       // 2 + 2 + 1 (clipped) + 0
        Assert.Equal([2, 2, 1, 0], lines.Select(l => l.Counted));
        s.Apply(state, T(Monday.AddDays(6).AddHours(14), TouchType.EmailOpen));  // Sunday 23:00: same week
        Assert.Equal(5, state.Score);
        s.Apply(state, T(Monday.AddDays(7), TouchType.EmailOpen));               // next Monday: a new period
        Assert.Equal(7, state.Score);
    }

    [Fact]
    public void Caps_count_negative_points_by_size_too()
    {
        var s = new Scoring(new EngagementSection(null, [new ScoreRule("Careers", -10, TouchType.CareersPageVisit, Cap: new ScoreCap(15, 1))]));
        var state = s.NewState();
        for (var i = 0; i < 3; i++) s.Apply(state, T(Monday.AddMinutes(i), TouchType.CareersPageVisit));
        Assert.Equal(-15, state.Score);
    }

    [Fact]
    public void Negative_signals_pull_the_score_down_and_fade_like_the_rest()
    {
        var s = new Scoring(new EngagementSection(10, [new ScoreRule("Pricing", 30, TouchType.PricingPageVisit), new ScoreRule("Bounce", -50, TouchType.Bounce)]));
        var state = s.NewState();
        s.Apply(state, T(Monday, TouchType.PricingPageVisit));
        s.Apply(state, T(Monday, TouchType.Bounce));
        Assert.Equal(-20, state.Score);
        Assert.Equal(-10, s.ScoreAt(state, Monday.AddDays(10)), 9);
    }

    [Fact]
    public void Folding_touches_one_by_one_equals_folding_them_again_from_scratch()
    {
        var rules = StarterDefinition.Content.Engagement;
        var s = new Scoring(rules);
        var rng = new Random(7);
        var touches = Enumerable.Range(0, 300).Select(i => T(Monday.AddHours(i * 7 + rng.Next(5)), (TouchType)rng.Next(20))).ToList();
        var live = s.NewState();
        var restored = s.NewState();
        foreach (var t in touches)
        {
            s.Apply(live, t);
            // Stored and restored after every touch, as ingestion does between batches.
            var row = LeadEngine.ToRow(1, 1, restored, new FitResult(Grade.B, 0, []));
            restored = LeadEngine.Restore(s, row);
            s.Apply(restored, t);
        }
        Assert.Equal(live.Score, restored.Score);
        Assert.Equal(live.CapUsed, restored.CapUsed);
    }
}
