using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

public class DefinitionValidationTests
{
    private static readonly DefinitionContent Good = StarterDefinition.Content;

    private static IDictionary<string, string[]> Errors(DefinitionContent d) => DefinitionValidation.Validate(d).ToDictionary();

    [Fact]
    public void The_starter_definition_is_valid() => Assert.Empty(Errors(Good));

    [Fact]
    public void A_rule_on_an_unknown_field_is_named()
    {
        var d = Good with { Fit = Good.Fit with { Rules = [.. Good.Fit.Rules, new FitRule("account.shoeSize", "gte", 5, Number: 42)] } };
        var e = Errors(d);
        Assert.Contains("Unknown field 'account.shoeSize'", Assert.Single(e["content.fit.rules[5].field"]));
    }

    [Fact]
    public void An_operator_that_does_not_fit_the_field_is_refused()
    {
        var d = Good with { Fit = Good.Fit with { Rules = [new FitRule("person.title", "gte", 5, Number: 1), new FitRule("account.industry", "in", 5)] } };
        var e = Errors(d);
        Assert.Contains("does not apply to person.title", e["content.fit.rules[0].op"][0]);
        Assert.Contains("non-empty list", e["content.fit.rules[1].values"][0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public void A_threshold_out_of_range_is_refused(int threshold)
    {
        var e = Errors(Good with { Qualify = Good.Qualify with { Threshold = threshold } });
        Assert.Contains("between 1 and 10,000", e["content.qualify.threshold"][0]);
    }

    [Fact]
    public void Overlapping_bands_are_refused()
    {
        var bands = new[] { new GradeBand(Grade.A, 60, null), new GradeBand(Grade.B, 40, 65), new GradeBand(Grade.C, 20, 39), new GradeBand(Grade.D, null, 19) };
        var e = Errors(Good with { Fit = Good.Fit with { Bands = bands } });
        Assert.Contains("overlap", e["content.fit.bands[0]"][0]);
    }

    [Fact]
    public void Gaps_between_bands_and_missing_grades_are_refused()
    {
        var gap = new[] { new GradeBand(Grade.A, 60, null), new GradeBand(Grade.B, 40, 50), new GradeBand(Grade.C, 20, 39), new GradeBand(Grade.D, null, 19) };
        Assert.Contains("gap", Errors(Good with { Fit = Good.Fit with { Bands = gap } })["content.fit.bands[0]"][0]);
        var three = new[] { new GradeBand(Grade.A, 60, null), new GradeBand(Grade.B, 40, 59), new GradeBand(Grade.D, null, 39) };
        Assert.Contains("exactly one band", Errors(Good with { Fit = Good.Fit with { Bands = three } })["content.fit.bands"][0]);
    }

    [Fact]
    public void Bad_caps_half_life_points_and_competitor_domains_are_named()
    {
        var d = Good with
        {
            Engagement = new EngagementSection(-1, [new ScoreRule("x", 0, TouchType.WebVisit, Cap: new ScoreCap(0, 400))]),
            Exclusions = Good.Exclusions with { CompetitorDomains = ["not a domain"] },
        };
        var e = Errors(d);
        Assert.True(e.ContainsKey("content.engagement.halfLifeDays"));
        Assert.True(e.ContainsKey("content.engagement.rules[0].points"));
        Assert.True(e.ContainsKey("content.engagement.rules[0].cap.points"));
        Assert.True(e.ContainsKey("content.engagement.rules[0].cap.periodDays"));
        Assert.True(e.ContainsKey("content.exclusions.competitorDomains[0]"));
    }

    [Fact]
    public void The_hash_follows_the_content()
    {
        Assert.Equal(Good.Hash(), DefinitionContent.FromJson(Good.ToJson()).Hash());
        Assert.NotEqual(Good.Hash(), (Good with { Qualify = Good.Qualify with { Threshold = 61 } }).Hash());
    }

    [Fact]
    public void The_diff_lists_removed_and_added_lines_in_words()
    {
        var draft = Good with { Qualify = Good.Qualify with { Threshold = 50 } };
        var diff = DefinitionDiff.Compare(Good, draft);
        Assert.Equal(2, diff.Count);
        Assert.Contains(diff, l => l.Change == "removed" && l.Text == "Fit B or better and score 60 or more");
        Assert.Contains(diff, l => l.Change == "added" && l.Text == "Fit B or better and score 50 or more");
    }
}
