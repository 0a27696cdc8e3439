using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Features.Nurture;

/// <summary>
/// Who enters a track. <see cref="Stage"/> is Nurture (optionally only some recycle reasons) or Inquiry (then only people below
/// the definition's score threshold: the not-yet-ready). The other lists narrow it; an empty list means any.
/// </summary>
public sealed record EnrolRule(LifecycleStage Stage, string[]? RecycleReasons = null, string[]? Personas = null, Grade[]? Grades = null,
    Channel[]? Channels = null, Dictionary<string, string>? Properties = null);

public enum StepKind { Message, Wait, Branch }

public enum TestMode { Fixed, Sequential }

public enum Reward { Click, Reply, Mql }

/// <summary>How a message step's variants are compared (decision 0071).</summary>
/// <param name="HoldoutPercent">Share of people kept as the control: they get no message, and their reward is the baseline.</param>
/// <param name="Baseline">The expected reward rate without a better message, for the fixed-horizon sample size.</param>
/// <param name="Mde">The smallest absolute lift worth detecting (0.01 = one percentage point).</param>
/// <param name="MqlDays">For <see cref="Reward.Mql"/>: the window after the send.</param>
public sealed record VariantTest(TestMode Mode = TestMode.Sequential, Reward Reward = Reward.Click, int HoldoutPercent = 10, double Baseline = 0.04,
    double Mde = 0.01, double Alpha = 0.05, double Power = 0.8, int MqlDays = 30);

public sealed record Variant(string Key, string Subject, string Body);

/// <summary>One step. A message has variants (one is fine); a wait has business days; a branch jumps by whether the person has
/// clicked any message of this track (step keys; null is the next step, "end" ends the track).</summary>
public sealed record Step(string Key, StepKind Kind, Variant[]? Variants = null, VariantTest? Test = null, int? Days = null,
    string? IfClicked = null, string? IfNotClicked = null);

public sealed record TrackContent(EnrolRule Enrol, Step[] Steps)
{
    public const string End = "end";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static TrackContent Parse(string json) => JsonSerializer.Deserialize<TrackContent>(json, Json)!;

    public int IndexOf(string key) => Array.FindIndex(Steps, s => s.Key == key);

    public Step? Find(string key) => Steps.FirstOrDefault(s => s.Key == key);

    /// <summary>Whether the enrolment rule names channels (only then is the taxonomy read to check them). A method, not a property:
    /// the content is stored and served as JSON, and this is not part of it.</summary>
    public bool NamesChannels() => Enrol?.Channels is { Length: > 0 };

    /// <summary>This content with its enrolment channels written as the taxonomy's keys (a label such as "Paid search" is
    /// accepted); a channel not in <paramref name="channels"/> is an error under <paramref name="field"/>, naming it and how to add it.</summary>
    public TrackContent WithKnownChannels(Channels.ChannelSet channels, Errors errors, Func<int, string> field)
    {
        if (Enrol?.Channels is not { Length: > 0 } named) return this;
        var known = new List<Channel>();
        for (var i = 0; i < named.Length; i++)
            if (channels.Find(named[i].Key) is { } c) known.Add(c.Channel);
            else errors.Add(field(i), channels.Unknown(named[i].Key ?? ""));
        return this with { Enrol = Enrol with { Channels = [.. known.Distinct()] } };
    }

    /// <summary>Every problem, each under the field it belongs to (content.steps[1].variants[0].body …).</summary>
    public Errors Validate(Errors errors)
    {
        const string p = "content";
        if (Enrol is null) errors.Add($"{p}.enrol", "'enrol' is required: who enters the track.");
        else if (Enrol.Stage is not (LifecycleStage.Nurture or LifecycleStage.Inquiry))
            errors.Add($"{p}.enrol.stage", $"A track enrols people in Nurture (recycled) or Inquiry (not yet ready), not {Enrol.Stage}.");
        if (Steps is null || Steps.Length == 0) { errors.Add($"{p}.steps", "A track needs at least one step."); return errors; }
        if (Steps.Length > 50) errors.Add($"{p}.steps", "A track has at most 50 steps.");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Steps.Length; i++)
        {
            var s = Steps[i];
            var f = $"{p}.steps[{i}]";
            if (s is null) { errors.Add(f, $"Step {i} is empty."); continue; }
            if (string.IsNullOrWhiteSpace(s.Key) || s.Key.Length > 40 || s.Key == End) errors.Add($"{f}.key", "Each step needs a key of 1 to 40 characters (not 'end').");
            else if (!keys.Add(s.Key)) errors.Add($"{f}.key", $"The step key '{s.Key}' is used twice.");
            switch (s.Kind)
            {
                case StepKind.Wait when s.Days is not (>= 1 and <= 365):
                    errors.Add($"{f}.days", "A wait is 1 to 365 business days."); break;
                case StepKind.Message: ValidateMessage(s, f, errors); break;
            }
        }
        for (var i = 0; i < Steps.Length; i++)
            if (Steps[i] is { Kind: StepKind.Branch } b)
                foreach (var (target, name) in new[] { (b.IfClicked, "ifClicked"), (b.IfNotClicked, "ifNotClicked") })
                    if (target is not null && target != End && (!keys.Contains(target) || IndexOf(target) <= i))
                        errors.Add($"{p}.steps[{i}].{name}", $"'{target}' is not a later step of this track (or 'end'): a branch only jumps forward.");
        return errors;
    }

    private static void ValidateMessage(Step s, string f, Errors errors)
    {
        if (s.Variants is null || s.Variants.Length == 0) { errors.Add($"{f}.variants", "A message step needs at least one variant."); return; }
        if (s.Variants.Length > 5) errors.Add($"{f}.variants", "A message step has at most 5 variants.");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var v = 0; v < s.Variants.Length; v++)
        {
            var variant = s.Variants[v];
            var vf = $"{f}.variants[{v}]";
            if (variant is null) { errors.Add(vf, "Empty variant."); continue; }
            if (string.IsNullOrWhiteSpace(variant.Key) || variant.Key.Length > 30 || variant.Key == VariantAssignment.Control)
                errors.Add($"{vf}.key", $"Each variant needs a key of 1 to 30 characters (not '{VariantAssignment.Control}').");
            else if (!keys.Add(variant.Key)) errors.Add($"{vf}.key", $"The variant key '{variant.Key}' is used twice.");
            if (string.IsNullOrWhiteSpace(variant.Subject)) errors.Add($"{vf}.subject", "A subject is required.");
            else foreach (var e in MessageTemplate.Check(variant.Subject, links: false)) errors.Add($"{vf}.subject", e);
            if (string.IsNullOrWhiteSpace(variant.Body)) errors.Add($"{vf}.body", "A body is required.");
            else foreach (var e in MessageTemplate.Check(variant.Body, links: true)) errors.Add($"{vf}.body", e);
        }
        if (s.Test is { } t)
        {
            // Enums arrive as names, but a number names an undefined value just as well; say which values there are.
            if (!Enum.IsDefined(t.Mode)) errors.Add($"{f}.test.mode", $"'mode' is {string.Join(" or ", Enum.GetNames<TestMode>())}.");
            if (!Enum.IsDefined(t.Reward)) errors.Add($"{f}.test.reward", $"'reward' is {string.Join(", ", Enum.GetNames<Reward>())}.");
            if (t.HoldoutPercent is < 0 or > 50) errors.Add($"{f}.test.holdoutPercent", "The hold-out is 0 to 50 percent.");
            if (!(t.Baseline is > 0 and < 1)) errors.Add($"{f}.test.baseline", "The baseline is a rate between 0 and 1 (0.04 = 4 %).");
            if (!(t.Mde > 0 && t.Baseline + t.Mde < 1)) errors.Add($"{f}.test.mde", "The minimum detectable effect is an absolute lift above 0 that keeps the rate below 1.");
            // Written as "not inside" so that NaN, which compares false with everything, is refused too.
            if (!(t.Alpha is > 0 and <= 0.2)) errors.Add($"{f}.test.alpha", "'alpha', the significance level, is above 0 and at most 0.2 (0.05 = 5 %).");
            if (!(t.Power is >= 0.5 and < 1)) errors.Add($"{f}.test.power", "'power' is from 0.5 to below 1 (0.8 = 80 %).");
            if (t.MqlDays is < 1 or > 365) errors.Add($"{f}.test.mqlDays", "The MQL window is 1 to 365 days.");
        }
    }
}
