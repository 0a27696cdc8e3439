using System.Globalization;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;

namespace Tandem.Features.Learning;

public enum LearnLabel { Sql, Won }

public enum LearnStart { Inquiry, Mql }

/// <summary>What a model predicts: reaching SQL (or a won deal) within <see cref="HorizonDays"/> of becoming an Inquiry (or an MQL).</summary>
public sealed record LearnTarget(LearnLabel Label = LearnLabel.Sql, int HorizonDays = 90, LearnStart Start = LearnStart.Inquiry)
{
    public string Sentence => $"{(Label == LearnLabel.Sql ? "reached SQL" : "won a deal")} within {HorizonDays} days of becoming {(Start == LearnStart.Inquiry ? "an Inquiry" : "an MQL")}";
}

/// <summary>One raw feature over every candidate: a number per person (NaN when unknown) or a category label.</summary>
public sealed class RawFeature(string name, string group, double[]? numbers, string?[]? categories)
{
    public string Name { get; } = name;
    /// <summary>fit, engagement, source or property: how the report and the suggested definition group it.</summary>
    public string Group { get; } = group;
    public double[]? Numbers { get; } = numbers;
    public string?[]? Categories { get; } = categories;
    public bool IsNumeric => Numbers is not null;
}

/// <summary>
/// Everyone with a decision time (the moment they became an Inquiry or MQL): the label where it is known, and the
/// features as they stood at that moment. Built by <see cref="FeatureExtractor"/>; rows are in decision-time order.
/// </summary>
public sealed class Examples
{
    public required int[] Person { get; init; }
    /// <summary>Decision time in <see cref="Clock"/> seconds.</summary>
    public required int[] Decision { get; init; }
    public required bool[] Label { get; init; }
    /// <summary>True when the horizon has passed, so the label is final.</summary>
    public required bool[] Matured { get; init; }
    public required List<RawFeature> Features { get; init; }
    public int Count => Person.Length;
}

/// <summary>
/// Reads the features of every person at their decision time off Insight's facts (pure but for the custom properties,
/// which Insight's dimensions read once). Nothing recorded after the decision is used: touches are counted up to it.
/// Fit fields and custom properties are as they stand now; Tandem keeps no history of them (decision 0066).
/// </summary>
public static class FeatureExtractor
{
    public const double HalfLifeDays = 14;
    private static readonly string[] FitFields = ["persona", "industry", "employees", "region"];
    private static readonly string[] SourceFields = ["channel", "campaign", "source"];

    /// <param name="only">Positions of the people to score now (their decision time, or now if they have none yet); null for
    /// everyone with a decision time (training).</param>
    public static async Task<Examples> ExtractAsync(InsightFacts f, TandemDb db, LearnTarget target, DateTime now, CancellationToken ct,
        IReadOnlyList<int>? only = null)
    {
        var (rows, decision) = only is null ? Candidates(f, target) : Now(f, target, only, Clock.Of(now));
        var features = new List<RawFeature>();
        var title = new string?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var t = f.PersonTitle[rows[r]];
            title[r] = t < 0 ? null : f.Titles[t];
        }
        features.Add(new RawFeature("title", "fit", null, title));
        // Insight keeps each slice with its snapshot, so explaining one person does not rebuild them.
        foreach (var field in FitFields) features.Add(Category(field, "fit", await Dimensions.GetAsync(f, db, field, Subject.Person, ct), rows));
        foreach (var field in SourceFields) features.Add(Category(field, "source", await Dimensions.GetAsync(f, db, field, Subject.Person, ct), rows));
        features.AddRange(Engagement(f, rows, decision));
        foreach (var name in await Dimensions.PropertyNamesAsync(f, db, ct))
            features.Add(Property(name, await Dimensions.GetAsync(f, db, Dimensions.PropertyPrefix + name, Subject.Person, ct), rows));

        var (label, matured) = Labels(f, target, rows, decision, Clock.Of(now));
        return new Examples { Person = rows, Decision = decision, Label = label, Matured = matured, Features = features };
    }

    /// <summary>People with a decision time, oldest decision first (ties by position, so the order is stable).</summary>
    internal static (int[] Rows, int[] Decision) Candidates(InsightFacts f, LearnTarget target)
    {
        var reached = f.Reached[target.Start == LearnStart.Inquiry ? 0 : 1];
        var rows = Enumerable.Range(0, f.PeopleCount).Where(i => reached[i] != Clock.None).ToArray();
        var keys = rows.Select(i => reached[i]).ToArray();
        Array.Sort(keys, rows);
        return (rows, keys);
    }

    private static (int[] Rows, int[] Decision) Now(InsightFacts f, LearnTarget target, IReadOnlyList<int> only, int now)
    {
        var reached = f.Reached[target.Start == LearnStart.Inquiry ? 0 : 1];
        return ([.. only], [.. only.Select(i => reached[i] == Clock.None ? now : reached[i])]);
    }

    internal static (bool[] Label, bool[] Matured) Labels(InsightFacts f, LearnTarget target, int[] rows, int[] decision, int now)
    {
        var horizon = target.HorizonDays * 86_400L;
        var won = target.Label == LearnLabel.Won ? FirstWin(f) : null;
        var label = new bool[rows.Length];
        var matured = new bool[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var at = won is null ? f.Reached[InsightFacts.SqlRank][rows[r]] : won[rows[r]];
            label[r] = at != Clock.None && at - (long)decision[r] <= horizon && at >= decision[r] - 86_400L;
            matured[r] = decision[r] + horizon <= now;
        }
        return (label, matured);
    }

    /// <summary>Each person's first won deal's close time (their primary-person deals), or <see cref="Clock.None"/>.</summary>
    private static int[] FirstWin(InsightFacts f)
    {
        var first = new int[f.PeopleCount];
        Array.Fill(first, Clock.None);
        for (var o = 0; o < f.OppCount; o++)
        {
            var p = f.OppPerson[o];
            if (p < 0 || f.OppOutcome[o] != Outcome.Won || f.OppClosed[o] == Clock.None) continue;
            if (first[p] == Clock.None || f.OppClosed[o] < first[p]) first[p] = f.OppClosed[o];
        }
        return first;
    }

    private static RawFeature Category(string name, string group, Dimension d, int[] rows)
    {
        var values = new string?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var label = d.Labels[d.Codes[rows[r]]];
            values[r] = label == Dimension.None ? null : label;
        }
        return new RawFeature(name, group, null, values);
    }

    /// <summary>A custom property: numeric when every value present reads as a number, else a category.</summary>
    private static RawFeature Property(string name, Dimension d, int[] rows)
    {
        var numbers = new double[d.Labels.Length];
        var numeric = true;
        for (var c = 0; c < d.Labels.Length; c++)
        {
            if (d.Labels[c] == Dimension.None) numbers[c] = double.NaN;
            else if (double.TryParse(d.Labels[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) numbers[c] = v;
            else numeric = false;
        }
        if (!numeric) return Category(name, "property", d, rows);
        var values = new double[rows.Length];
        for (var r = 0; r < rows.Length; r++) values[r] = numbers[d.Codes[rows[r]]];
        return new RawFeature(name, "property", values, null);
    }

    /// <summary>Touches up to and including the decision time: counts by type and channel, days since the last, a decayed score.</summary>
    internal static IEnumerable<RawFeature> Engagement(InsightFacts f, int[] rows, int[] decision)
    {
        var types = Enum.GetValues<TouchType>();
        var channels = f.Channels.All;
        var byType = types.Select(_ => new double[rows.Length]).ToArray();
        var byChannel = channels.Select(_ => new double[rows.Length]).ToArray();
        var total = new double[rows.Length];
        var recency = new double[rows.Length];
        var decayed = new double[rows.Length];
        var k = Math.Log(2) / (HalfLifeDays * 86_400);
        for (var r = 0; r < rows.Length; r++)
        {
            var p = rows[r];
            var last = Clock.None;
            for (var t = f.TouchStart[p]; t < f.TouchEnd[p]; t++)
            {
                var at = f.TouchAt[t];
                if (at > decision[r]) break; // touches are oldest first: the rest came after the decision
                var type = f.TouchType[t];
                if (type < byType.Length) byType[type][r]++;
                var ch = f.TouchChannel[t];
                if (ch < byChannel.Length) byChannel[ch][r]++;
                total[r]++;
                decayed[r] += Math.Exp(-k * (decision[r] - at));
                last = at;
            }
            recency[r] = last == Clock.None ? double.NaN : Clock.Days(last, decision[r]);
        }
        yield return new RawFeature("touches", "engagement", total, null);
        yield return new RawFeature("days since last touch", "engagement", recency, null);
        yield return new RawFeature("engagement (decayed)", "engagement", decayed, null);
        for (var i = 0; i < types.Length; i++) yield return new RawFeature(Words.Type(types[i]), "engagement", byType[i], null);
        for (var i = 0; i < channels.Count; i++) yield return new RawFeature(Words.Channel(channels[i].Channel), "engagement", byChannel[i], null);
    }
}

/// <summary>Feature names in words (the report, explanations and the suggested definition read them).</summary>
internal static class Words
{
    public const string TypePrefix = "touches: ", ChannelPrefix = "touches via ";

    public static string Type(TouchType t) => TypePrefix + t;
    public static string Channel(Channel c) => ChannelPrefix + c;

    /// <summary>A feature's name as people read it: channel keys (which stay in stored models, so a rename breaks nothing)
    /// shown as the taxonomy's labels ("touches via PaidSearch" as "touches via Paid search"), touch types in words
    /// ("touches: DemoRequest" as "touches: demo request").</summary>
    public static string Show(string feature, Channels.ChannelSet channels) =>
        feature.StartsWith(ChannelPrefix, StringComparison.Ordinal) ? ChannelPrefix + channels.Label(feature[ChannelPrefix.Length..])
        : feature.StartsWith(TypePrefix, StringComparison.Ordinal) ? TypePrefix + PlainLanguage.Words(feature[TypePrefix.Length..])
        : feature;

    /// <summary>An explanation's factor in people's words: its feature as <see cref="Show"/> gives it, a channel value by its
    /// label and a source (a touch type) in words, also inside "other (…)" for a value unseen in training.</summary>
    public static Factor Show(Factor f, Channels.ChannelSet channels)
    {
        Func<string, string>? words = f.Feature switch { "channel" => channels.Label, "source" => PlainLanguage.Words, _ => null };
        var other = SpecFeature.Other + " (";
        var value = words is null ? f.Value
            : f.Value.StartsWith(other, StringComparison.Ordinal) && f.Value.EndsWith(')') ? other + words(f.Value[other.Length..^1]) + ")"
            : f.Value is "none" ? f.Value : words(f.Value);
        return f with { Feature = Show(f.Feature, channels), Value = value };
    }
}
