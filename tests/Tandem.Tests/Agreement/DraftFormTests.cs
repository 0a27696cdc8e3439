using Tandem.Components.Agreement;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

public class DraftFormTests
{
    private static readonly DefinitionContent Starter = StarterDefinition.Content;

    [Fact]
    public void Applies_the_posted_knobs_and_keeps_everything_not_posted()
    {
        var (c, e) = DraftForm.Apply(Starter, new Dictionary<string, string?>
        {
            [DraftForm.Threshold] = " 45 ", [DraftForm.MinFit] = "c", [DraftForm.HalfLife] = "14.5", [DraftForm.EngagementPoints(2)] = "-5",
            [DraftForm.FitPoints(0)] = "60", [DraftForm.BandMin(1)] = "40", [DraftForm.BandMax(2)] = "39",
        });

        Assert.False(e.Any);
        Assert.Equal((45, Grade.C, 14.5), (c.Qualify.Threshold, c.Qualify.MinFit, c.Engagement.HalfLifeDays!.Value));
        Assert.Equal(-5, c.Engagement.Rules[2].Points);
        Assert.Equal(Starter.Engagement.Rules[2].Cap, c.Engagement.Rules[2].Cap);
        Assert.Equal(60, c.Fit.Rules[0].Points);
        Assert.Equal((40, (int?)69), (c.Fit.Bands[1].Min!.Value, c.Fit.Bands[1].Max));
        Assert.Equal(((int?)20, (int?)39), (c.Fit.Bands[2].Min, c.Fit.Bands[2].Max));
        Assert.Equal(Starter.Qualify.FastTrack, c.Qualify.FastTrack);
        Assert.Equal(Starter.Exclusions, c.Exclusions);
        Assert.Equal(Starter.Hash(), DraftForm.Apply(Starter, new Dictionary<string, string?>()).Content.Hash());
    }

    [Fact]
    public void Empty_means_none_where_none_is_allowed_and_is_an_error_elsewhere()
    {
        var (c, e) = DraftForm.Apply(Starter, new Dictionary<string, string?>
        {
            [DraftForm.HalfLife] = "", [DraftForm.BandMax(0)] = "", [DraftForm.Threshold] = "", [DraftForm.FitPoints(1)] = "ten", [DraftForm.MinFit] = "E",
        });

        Assert.Null(c.Engagement.HalfLifeDays);
        Assert.Null(c.Fit.Bands[0].Max);
        Assert.Equal(["content.fit.rules[1].points", "content.qualify.minFit", "content.qualify.threshold"], e.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.Equal("'ten' is not a whole number.", e.ToDictionary()["content.fit.rules[1].points"].Single());
        Assert.Equal("qualify.threshold", DraftForm.FieldOf("content.qualify.threshold"));
    }
}
