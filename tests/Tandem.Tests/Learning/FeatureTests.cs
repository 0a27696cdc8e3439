using Tandem.Features.Insight;
using Tandem.Features.Learning;

namespace Tandem.Tests.Learning;

/// <summary>The encoder and the split, on hand-made examples: what is dropped, what is "other", and every refusal.</summary>
public class FeatureTests
{
    private static readonly DateTime Day0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Examples Make(int n, Func<int, bool> label, Func<int, bool>? matured = null, params RawFeature[] features) => new()
    {
        Person = [.. Enumerable.Range(0, n)],
        Decision = [.. Enumerable.Range(0, n).Select(i => Clock.Of(Day0.AddHours(i)))],
        Label = [.. Enumerable.Range(0, n).Select(label)],
        Matured = [.. Enumerable.Range(0, n).Select(i => matured?.Invoke(i) ?? true)],
        Features = [.. features],
    };

    [Fact]
    public void Feature_names_and_channel_values_are_shown_with_channel_labels_and_other_names_as_they_are()
    {
        var channels = Tandem.Features.Channels.ChannelSet.Default;
        Assert.Equal("touches via Paid search", Words.Show(Words.Channel(Tandem.Data.Channel.PaidSearch), channels));
        Assert.Equal("touches via tiktok", Words.Show("touches via tiktok", channels)); // a key no longer in the taxonomy
        Assert.Equal("industry", Words.Show("industry", channels));
        Assert.Equal("touches: demo request", Words.Show(Words.Type(Tandem.Data.TouchType.DemoRequest), channels));
        Assert.Equal(new Factor("channel", "Paid search", 0.1), Words.Show(new Factor("channel", "PaidSearch", 0.1), channels));
        Assert.Equal(new Factor("region", "PaidSearch", -0.1), Words.Show(new Factor("region", "PaidSearch", -0.1), channels));
        Assert.Equal(new Factor("channel", "other (Paid search)", 0.1), Words.Show(new Factor("channel", "other (PaidSearch)", 0.1), channels));
        Assert.Equal(new Factor("source", "demo request", 0.1), Words.Show(new Factor("source", "DemoRequest", 0.1), channels));
        Assert.Equal(new Factor("source", "none", 0.1), Words.Show(new Factor("source", "none", 0.1), channels));
    }

    [Fact]
    public void Constant_and_empty_features_are_dropped_and_listed_and_unseen_categories_are_other()
    {
        var n = 40;
        var ex = Make(n, i => i % 2 == 0, null,
            new RawFeature("constant", "property", [.. Enumerable.Repeat(3.0, n)], null),
            new RawFeature("empty", "property", [.. Enumerable.Repeat(double.NaN, n)], null),
            new RawFeature("never said", "fit", null, new string?[n]),
            new RawFeature("visits", "engagement", [.. Enumerable.Range(0, n).Select(i => (double)(i % 7))], null),
            new RawFeature("industry", "fit", null, [.. Enumerable.Range(0, n).Select(i => i < 30 ? (i % 2 == 0 ? "Software" : "Retail") : "Zoology")]));
        var train = Enumerable.Range(0, 30).ToArray();
        var spec = FeatureSpec.Fit(ex, train, new HashSet<string>());

        Assert.Equal(["visits", "industry"], spec.Features.Select(f => f.Name));
        Assert.Equal(["constant", "empty", "never said"], spec.Dropped.Select(d => d.Name));
        Assert.StartsWith("constant: always 3", spec.Dropped[0].Reason);
        Assert.StartsWith("empty", spec.Dropped[1].Reason);
        var industry = spec.Features[1];
        Assert.Equal(["Retail", "Software"], industry.Categories.Order());
        var columns = spec.Columns(ex);
        // Zoology never appeared in training: it lands in the "other" slot and reads as such.
        Assert.Equal("other (Zoology)", FeatureSpec.Describe(industry, columns[1], 35));
        var v = spec.Encode(columns, 35);
        Assert.Equal(1f, v[industry.Slot + industry.Categories.Length]);
        Assert.Equal(0f, v[industry.Slot] + v[industry.Slot + 1]);
        Assert.Equal(3 + 1, spec.Width); // visits + two industries + other
    }

    [Fact]
    public void Too_few_outcomes_is_refused_with_the_counts_and_the_window()
    {
        var ex = Make(200, i => i % 10 == 0); // 20 positive, 180 negative
        var (split, refusal) = Splitter.Split(ex, new LearnTarget());
        Assert.Null(split);
        Assert.Contains("20 positive and 180 negative", refusal);
        Assert.Contains("from 2026-01-01 to 2026-01-09", refusal);
        Assert.Contains("At least 50 of each", refusal);
    }

    [Fact]
    public void No_matured_cohort_is_refused_with_the_earliest_usable_date()
    {
        var ex = Make(200, i => i % 2 == 0, _ => false);
        var (split, refusal) = Splitter.Split(ex, new LearnTarget(HorizonDays: 30));
        Assert.Null(split);
        Assert.Contains("No cohort has matured yet", refusal);
        Assert.Contains("The earliest usable date is 2026-01-31", refusal);
    }

    [Fact]
    public void The_split_is_by_time_with_the_latest_matured_people_as_the_test_set()
    {
        var ex = Make(400, i => i % 3 == 0, i => i < 300); // the last 100 have not matured
        var (split, refusal) = Splitter.Split(ex, new LearnTarget());
        Assert.Null(refusal);
        Assert.Equal((210, 45, 45), (split!.Train.Length, split.Validation.Length, split.Test.Length));
        Assert.True(split.Train.Max() < split.Validation.Min() && split.Validation.Max() < split.Test.Min());
        Assert.Equal(299, split.Test.Max());
    }
}
