using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Tests.Insight;

/// <summary>The attribution models and the exact split, as pure functions.</summary>
public class AttributionTests
{
    private const int Day = 86_400;

    /// <summary>Five touches a day apart; the person was created at the second, the deal at the fifth.</summary>
    private static double[] FivePath(string model)
    {
        int[] at = [0, Day, 2 * Day, 3 * Day, 4 * Day];
        byte[] types = [(byte)TouchType.EmailClick, (byte)TouchType.FormFill, (byte)TouchType.WebVisit, (byte)TouchType.ContentDownload, (byte)TouchType.Meeting];
        byte[] channels = [Code(Channel.Email), Code(Channel.Email), Code(Channel.Organic), Code(Channel.Content), Code(Channel.Outbound)];
        return Attribution.Weights(model, new Attribution.Path(at, types, channels, Day, 4 * Day), halfLifeDays: 1).Select(w => Math.Round(w, 6)).ToArray();
    }

    [Fact]
    public void Single_touch_models_pick_their_touch()
    {
        Assert.Equal([1, 0, 0, 0, 0], FivePath(Attribution.FirstTouch));
        Assert.Equal([0, 1, 0, 0, 0], FivePath(Attribution.LeadCreation));
        Assert.Equal([0, 0, 0, 0, 1], FivePath(Attribution.OpportunityCreation));
        Assert.Equal([0, 0, 0, 1, 0], FivePath(Attribution.LastTouch)); // the meeting is sales' own: the content download before it
    }

    [Fact]
    public void Multi_touch_models_share_as_documented()
    {
        Assert.Equal([0.2, 0.2, 0.2, 0.2, 0.2], FivePath(Attribution.Linear));
        Assert.Equal([0.4, 0.4, 0.066667, 0.066667, 0.066667], FivePath(Attribution.UShaped));
        Assert.Equal([0.3, 0.3, 0.05, 0.05, 0.3], FivePath(Attribution.WShaped));
        // Full path: the path ends at the deal here, so the closing touch is the creation touch: 22.5 + 22.5 on it.
        Assert.Equal([0.225, 0.225, 0.05, 0.05, 0.45], FivePath(Attribution.FullPath));
        // Time decay, half-life one day: weights 1/16, 1/8, 1/4, 1/2, 1 over their sum 31/16.
        Assert.Equal(new[] { 1 / 31.0, 2 / 31.0, 4 / 31.0, 8 / 31.0, 16 / 31.0 }.Select(w => Math.Round(w, 6)), FivePath(Attribution.TimeDecay));
    }

    [Fact]
    public void One_touch_gets_everything_under_every_model()
    {
        foreach (var model in Attribution.Models)
            Assert.Equal([1.0], Attribution.Weights(model, new Attribution.Path([5], [(byte)TouchType.FormFill], [Code(Channel.Email)], 5, 10)).Select(w => Math.Round(w, 12)));
    }

    [Fact]
    public void Two_touches_split_evenly_under_u_shaped()
    {
        var w = Attribution.Weights(Attribution.UShaped, new Attribution.Path([1, 2], [0, 0], [0, 0], 2, 3));
        Assert.Equal([0.5, 0.5], w.Select(x => Math.Round(x, 9)));
    }

    [Fact]
    public void Split_hands_the_leftover_cents_to_the_largest_remainders()
    {
        Assert.Equal([34, 33, 33], Attribution.Split(100, [1 / 3.0, 1 / 3.0, 1 / 3.0]));
        Assert.Equal([1, 1], Attribution.Split(2, [0.5, 0.5]));
        Assert.Equal([0, 1], Attribution.Split(1, [0.4, 0.6]));
        Assert.Equal([0, 0, 0], Attribution.Split(0, [0.2, 0.3, 0.5]));
        Assert.Equal([-34, -33, -33], Attribution.Split(-100, [1 / 3.0, 1 / 3.0, 1 / 3.0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Credits_always_add_up_to_the_amount_exactly(int seed)
    {
        var rng = new Random(seed);
        for (var run = 0; run < 2_000; run++)
        {
            var n = rng.Next(1, 15);
            var at = Enumerable.Range(0, n).Select(_ => rng.Next(0, 400 * Day)).Order().ToArray();
            var types = Enumerable.Range(0, n).Select(_ => (byte)rng.Next(0, 20)).ToArray();
            var channels = Enumerable.Range(0, n).Select(_ => (byte)rng.Next(0, 11)).ToArray();
            var lead = rng.Next(0, 2) == 0 ? Clock.None : rng.Next(0, 400 * Day);
            var created = rng.Next(0, 3) == 0 ? Clock.None : at[^1] + rng.Next(0, Day);
            var amount = rng.NextInt64(0, 10_000_000_00);
            foreach (var model in Attribution.Models)
            {
                var w = Attribution.Weights(model, new Attribution.Path(at, types, channels, lead, created), rng.Next(1, 60));
                Assert.Equal(n, w.Length);
                Assert.All(w, x => Assert.InRange(x, 0, 1));
                Assert.Equal(1, w.Sum(), 9);
                var parts = Attribution.Split(amount, w);
                Assert.Equal(amount, parts.Sum());
                Assert.All(parts, p => Assert.True(p >= 0));
            }
        }
    }

    [Fact]
    public void Personas_come_from_title_words_with_configurable_rules()
    {
        var defaults = new Personas();
        Assert.Equal("Executive", defaults.Of("VP, Sales"));
        Assert.Equal("Director", defaults.Of("Director of Marketing"));
        Assert.Equal("Manager", defaults.Of("Marketing Manager"));
        Assert.Equal("Practitioner", defaults.Of("Data Engineer"));
        Assert.Equal(Personas.Other, defaults.Of("Astronaut"));
        Assert.Equal(Personas.Unknown, defaults.Of(null));
        var custom = new Personas([new PersonaRule("Buyer", ["procurement", "purchasing"])]);
        Assert.Equal("Buyer", custom.Of("Head of Procurement"));
        Assert.Equal(Personas.Other, custom.Of("VP Sales"));
    }

    private static byte Code(Channel c) => Tandem.Features.Channels.ChannelSet.Default.Code(c);
}
