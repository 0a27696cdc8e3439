using System.Globalization;
using System.Text.RegularExpressions;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Features.Nurture;

/// <summary>One variant row of the editor: blank in every field means "no variant here".</summary>
public sealed class VariantFields
{
    public string Key { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public bool IsBlank => string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(Subject) && string.IsNullOrWhiteSpace(Body);
}

/// <summary>One step row of the editor. An empty <see cref="Kind"/> means "no step here" (the spare rows for adding steps).
/// Numbers stay text, so a refused form comes back exactly as typed; the test's rates are in percent, as people say them.</summary>
public sealed class StepFields
{
    public string Key { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Days { get; set; } = "";
    public string IfClicked { get; set; } = "";
    public string IfNotClicked { get; set; } = "";
    public List<VariantFields> Variants { get; set; } = [];
    /// <summary>Empty: no test (one variant, everyone gets it). Fixed or Sequential otherwise.</summary>
    public string TestMode { get; set; } = "";
    public string Reward { get; set; } = nameof(Nurture.Reward.Click);
    public string Holdout { get; set; } = "10";
    public string Baseline { get; set; } = "4";
    public string Mde { get; set; } = "1";
    public string MqlDays { get; set; } = "30";
    /// <summary>The chance of declaring a winner when there is none (5 = 5 %), and of finding a real lift of the given size (80 %).</summary>
    public string Alpha { get; set; } = "5";
    public string Power { get; set; } = "80";
}

/// <summary>
/// The track editor's form, pure (decision 0077). It converts both ways between the posted fields and <see cref="TrackContent"/>:
/// each input is named by its place in the form ("steps[2].variants[1].body"); <see cref="ToContent"/> drops blank rows, builds
/// the content, runs the same check as the API and maps every error path it names ("content.steps[1].variants[0].body") back to
/// the row it came from, so an unknown template field is shown beside the body that has it.
/// </summary>
public sealed partial class TrackForm
{
    public const int MaxVariants = 3, SpareSteps = 2;
    public const string Name = "name", Status = "status", Version = "version", Stage = "enrol.stage", RecycleReasons = "enrol.recycleReasons",
        PersonasField = "enrol.personas", Grades = "enrol.grades", Channels = "enrol.channels", Properties = "enrol.properties";

    public static string StepPath(int row) => $"steps[{row}]";
    public static string VariantPath(int row, int v) => $"steps[{row}].variants[{v}]";
    public static string StepField(int row, string field) => $"steps[{row}].{field}";
    public static string VariantField(int row, int v, string field) => $"steps[{row}].variants[{v}].{field}";

    public string TrackName { get; set; } = "";
    public string StatusText { get; set; } = nameof(Nurture.TrackStatus.Draft);
    public string TrackVersion { get; set; } = "";
    public string EnrolStage { get; set; } = nameof(LifecycleStage.Nurture);
    public List<string> Reasons { get; set; } = [];
    public List<string> Personas { get; set; } = [];
    public List<string> GradeList { get; set; } = [];
    public List<string> ChannelList { get; set; } = [];
    /// <summary>Custom fields to match, one "name = value" a line.</summary>
    public string PropertyLines { get; set; } = "";
    public List<StepFields> Steps { get; set; } = [];

    /// <summary>A new track's form: recycled leads, one message step and spare rows.</summary>
    public static TrackForm New() => Of("", Nurture.TrackStatus.Draft, null,
        new TrackContent(new EnrolRule(LifecycleStage.Nurture), [new Step("m1", StepKind.Message, [new Variant("A", "", "")])]));

    /// <summary>The form for a stored track: its steps, each message with <see cref="MaxVariants"/> variant rows, and spare step rows.</summary>
    public static TrackForm Of(string name, TrackStatus status, int? version, TrackContent c)
    {
        var f = new TrackForm
        {
            TrackName = name, StatusText = status.ToString(), TrackVersion = version?.ToString(CultureInfo.InvariantCulture) ?? "",
            EnrolStage = c.Enrol.Stage.ToString(), Reasons = [.. c.Enrol.RecycleReasons ?? []], Personas = [.. c.Enrol.Personas ?? []],
            GradeList = [.. (c.Enrol.Grades ?? []).Select(g => g.ToString())], ChannelList = [.. (c.Enrol.Channels ?? []).Select(x => x.ToString())],
            PropertyLines = string.Join("\n", (c.Enrol.Properties ?? []).Select(kv => $"{kv.Key} = {kv.Value}")),
        };
        foreach (var s in c.Steps)
        {
            var row = new StepFields
            {
                Key = s.Key, Kind = s.Kind.ToString(), Days = s.Days?.ToString(CultureInfo.InvariantCulture) ?? "", IfClicked = s.IfClicked ?? "", IfNotClicked = s.IfNotClicked ?? "",
                Variants = [.. (s.Variants ?? []).Select(v => new VariantFields { Key = v.Key, Subject = v.Subject, Body = v.Body })],
            };
            if (s.Test is { } t)
                (row.TestMode, row.Reward, row.Holdout, row.Baseline, row.Mde, row.MqlDays, row.Alpha, row.Power) = (t.Mode.ToString(), t.Reward.ToString(),
                    t.HoldoutPercent.ToString(CultureInfo.InvariantCulture), Pct(t.Baseline), Pct(t.Mde), t.MqlDays.ToString(CultureInfo.InvariantCulture),
                    Pct(t.Alpha), Pct(t.Power));
            f.Steps.Add(row);
        }
        return f.Padded();
    }

    /// <summary>Every step with <see cref="MaxVariants"/> variant rows and <see cref="SpareSteps"/> empty step rows at the end.</summary>
    public TrackForm Padded()
    {
        while (Steps.Count(s => s.Kind == "" && s.Key == "") < SpareSteps) Steps.Add(new StepFields());
        foreach (var s in Steps)
            while (s.Variants.Count < MaxVariants) s.Variants.Add(new VariantFields());
        return this;
    }

    /// <summary>The form as posted (multi-valued fields such as the persona boxes come as several values).</summary>
    public static TrackForm Read(IReadOnlyDictionary<string, string[]> posted)
    {
        string One(string k) => posted.TryGetValue(k, out var v) && v.Length > 0 ? v[0] ?? "" : "";
        List<string> Many(string k) => posted.TryGetValue(k, out var v) ? [.. v.Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim()).Distinct()] : [];
        var f = new TrackForm
        {
            TrackName = One(Name), StatusText = One(Status), TrackVersion = One(Version), EnrolStage = One(Stage), Reasons = Many(RecycleReasons),
            Personas = Many(PersonasField), GradeList = Many(Grades), ChannelList = Many(Channels), PropertyLines = One(Properties),
        };
        var rows = posted.Keys.Select(k => StepIndex().Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1).Max();
        for (var i = 0; i <= Math.Min(rows, 60); i++)
        {
            var s = new StepFields
            {
                Key = One(StepField(i, "key")), Kind = One(StepField(i, "kind")), Days = One(StepField(i, "days")), IfClicked = One(StepField(i, "ifClicked")),
                IfNotClicked = One(StepField(i, "ifNotClicked")), TestMode = One(StepField(i, "test.mode")), Reward = One(StepField(i, "test.reward")),
                Holdout = One(StepField(i, "test.holdoutPercent")), Baseline = One(StepField(i, "test.baseline")), Mde = One(StepField(i, "test.mde")),
                MqlDays = One(StepField(i, "test.mqlDays")), Alpha = One(StepField(i, "test.alpha")), Power = One(StepField(i, "test.power")),
            };
            for (var v = 0; v < MaxVariants; v++)
                s.Variants.Add(new VariantFields { Key = One(VariantField(i, v, "key")), Subject = One(VariantField(i, v, "subject")), Body = One(VariantField(i, v, "body")) });
            f.Steps.Add(s);
        }
        return f;
    }

    public sealed record Converted(TrackContent? Content, TrackStatus Status, int? Version, Errors Errors);

    /// <summary>
    /// The track the form describes, with every problem under the form field to show it beside: the form's own (a word where a
    /// number belongs) and <see cref="TrackContent.Validate"/>'s, mapped from content paths to form rows.
    /// </summary>
    public Converted ToContent()
    {
        var e = new Errors();
        var name = TrackName.Trim();
        if (name.Length == 0) e.Add(Name, "A track needs a name.");
        else if (name.Length > 200) e.Add(Name, "A name is at most 200 characters.");
        var status = Enum.TryParse<TrackStatus>(StatusText, true, out var st) && Enum.IsDefined(st) ? st : Nurture.TrackStatus.Draft;
        int? version = int.TryParse(TrackVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var ver) ? ver : null;
        var stage = EnrolStage == nameof(LifecycleStage.Inquiry) ? LifecycleStage.Inquiry : LifecycleStage.Nurture;
        var grades = Parse<Grade>(GradeList, Grades, "fit grade", e);
        var channels = ChannelList.Select(v => Channel.TryParse(v, null, out var c) ? c : default).Where(c => c.Key is not null).ToArray();
        foreach (var bad in ChannelList.Where(v => !Channel.TryParse(v, null, out _))) e.Add(Channels, $"'{bad}' is not a channel.");
        var props = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in PropertyLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0 || line[(eq + 1)..].Trim().Length == 0) e.Add(Properties, $"'{line}' is not 'field = value'.");
            else props[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        var rule = new EnrolRule(stage, stage == LifecycleStage.Nurture && Reasons.Count > 0 ? [.. Reasons] : null, Personas.Count > 0 ? [.. Personas] : null,
            grades.Length > 0 ? grades : null, channels.Length > 0 ? channels : null, props.Count > 0 ? props : null);

        // Rows with no kind are spare; keys left empty are made up from the kind, so a marketer need not invent them.
        var used = new HashSet<string>(Steps.Select(s => s.Key.Trim()).Where(k => k.Length > 0), StringComparer.Ordinal);
        var steps = new List<Step>();
        var stepRows = new List<int>();
        var variantRows = new List<List<int>>();
        for (var i = 0; i < Steps.Count; i++)
        {
            var r = Steps[i];
            if (string.IsNullOrWhiteSpace(r.Kind)) continue;
            if (!Enum.TryParse<StepKind>(r.Kind, true, out var kind) || !Enum.IsDefined(kind)) { e.Add(StepField(i, "kind"), $"'{r.Kind}' is not a kind of step: Message, Wait or Branch."); continue; }
            var key = r.Key.Trim();
            if (key.Length == 0)
            {
                var prefix = kind switch { StepKind.Message => "m", StepKind.Wait => "w", _ => "b" };
                for (var n = 1; ; n++) if (used.Add(key = prefix + n.ToString(CultureInfo.InvariantCulture))) break;
            }
            Variant[]? variants = null;
            VariantTest? test = null;
            var vrows = new List<int>();
            int? days = null;
            if (kind == StepKind.Message)
            {
                var list = new List<Variant>();
                var vkeys = new HashSet<string>(r.Variants.Select(v => v.Key.Trim()).Where(k => k.Length > 0), StringComparer.Ordinal);
                for (var v = 0; v < r.Variants.Count; v++)
                {
                    var row = r.Variants[v];
                    if (row.IsBlank) continue;
                    var vkey = row.Key.Trim();
                    if (vkey.Length == 0)
                        foreach (var letter in "ABCDE")
                            if (vkeys.Add(vkey = letter.ToString())) break;
                    list.Add(new Variant(vkey, row.Subject.Trim(), row.Body.Replace("\r\n", "\n").Trim()));
                    vrows.Add(v);
                }
                variants = [.. list];
                if (!string.IsNullOrWhiteSpace(r.TestMode)) test = Test(r, i, e);
            }
            else if (kind == StepKind.Wait) days = Int(r.Days, StepField(i, "days"), "a number of business days", e);
            steps.Add(new Step(key, kind, variants, test, days, Target(r.IfClicked, kind), Target(r.IfNotClicked, kind)));
            stepRows.Add(i);
            variantRows.Add(vrows);
        }
        var content = new TrackContent(rule, [.. steps]);
        var found = content.Validate(new Errors());
        foreach (var (path, messages) in found.ToDictionary())
        {
            var field = FieldOf(path, stepRows, variantRows);
            if (e.Has(field)) continue; // the form already said what is wrong there, in its own words
            foreach (var m in messages) e.Add(field, m);
        }
        return new Converted(content, status, version, e);
    }

    /// <summary>The form field an error path of <see cref="TrackContent.Validate"/> belongs to: "content.steps[1].variants[0].body" is
    /// the body of the first non-blank variant of the second step kept, wherever those sit among the form's rows.</summary>
    public static string FieldOf(string path, IReadOnlyList<int> stepRows, IReadOnlyList<IReadOnlyList<int>> variantRows)
    {
        var m = ContentPath().Match(path);
        if (!m.Success) return path.StartsWith("content.", StringComparison.Ordinal) ? path["content.".Length..] : path;
        var step = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (step >= stepRows.Count) return "steps";
        var row = stepRows[step];
        if (!m.Groups[2].Success) return $"steps[{row}]{m.Groups[4].Value}";
        var v = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var vrow = v < variantRows[step].Count ? variantRows[step][v] : v;
        return $"steps[{row}].variants[{vrow}]{m.Groups[4].Value}";
    }

    private static string? Target(string raw, StepKind kind) => kind == StepKind.Branch && raw.Trim() is { Length: > 0 } t ? t : null;

    private static VariantTest Test(StepFields r, int i, Errors e)
    {
        // A mode or reward the form does not offer is an error, not a silent default: the marketer must know which test runs.
        TestMode mode = Nurture.TestMode.Sequential;
        if (!Enum.TryParse(r.TestMode, true, out mode) || !Enum.IsDefined(mode))
            e.Add(StepField(i, "test.mode"), $"'{r.TestMode}' is not a kind of test: choose Sequential or Fixed horizon.");
        Reward reward = Nurture.Reward.Click;
        if (!Enum.TryParse(r.Reward, true, out reward) || !Enum.IsDefined(reward))
            e.Add(StepField(i, "test.reward"), $"'{r.Reward}' is not a reward: choose a click, a reply or meeting, or an MQL.");
        var holdout = Int(r.Holdout, StepField(i, "test.holdoutPercent"), "a percentage", e) ?? 10;
        var baseline = Percent(r.Baseline, StepField(i, "test.baseline"), e) ?? 4;
        var mde = Percent(r.Mde, StepField(i, "test.mde"), e) ?? 1;
        if (baseline + mde >= 100) e.Add(StepField(i, "test.mde"), "The baseline plus the lift must stay below 100 %.");
        var mqlDays = Int(r.MqlDays, StepField(i, "test.mqlDays"), "a number of days", e) ?? 30;
        var alpha = Percent(r.Alpha, StepField(i, "test.alpha"), e, a => a is > 0 and <= MaxAlphaPercent,
            $"The significance level is above 0 and at most {MaxAlphaPercent} % (5 % is usual): the chance of declaring a winner that is not better.") ?? 5;
        var power = Percent(r.Power, StepField(i, "test.power"), e, w => w is >= MinPowerPercent and < 100,
            $"The power is from {MinPowerPercent} % to below 100 % (80 % is usual): the chance of finding a lift of the size above when it is real.") ?? 80;
        return new VariantTest(mode, reward, holdout, baseline / 100, mde / 100, alpha / 100, power / 100, mqlDays);
    }

    /// <summary>The editor's bounds for α and power, in percent: the same as <see cref="TrackContent.Validate"/>'s rates.</summary>
    public const double MaxAlphaPercent = 20, MinPowerPercent = 50;

    /// <summary>
    /// What a fixed-horizon test of this row needs per variant, or null when the row's numbers do not read (the editor shows it
    /// beside the fields, so a marketer sees the cost of a smaller lift or a stricter α before saving).
    /// </summary>
    public static int? RequiredPerVariant(StepFields r, int variants)
    {
        var e = new Errors();
        var t = Test(r, 0, e);
        if (e.Any || t.Baseline + t.Mde >= 1 || t.HoldoutPercent is < 0 or > 50) return null;
        // As VariantStats.Verdict splits α: each variant against the control when one is held out, else against the first variant.
        var challengers = t.HoldoutPercent > 0 ? variants : variants - 1;
        return VariantStats.SampleSize(t.Baseline, t.Mde, t.Alpha / Math.Max(1, challengers), t.Power);
    }

    private static int? Int(string raw, string field, string what, Errors e)
    {
        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        e.Add(field, raw.Trim().Length == 0 ? $"Enter {what}." : $"'{raw.Trim()}' is not {what}: use a whole number.");
        return null;
    }

    /// <summary>A percentage between 0 and 100 exclusive, or within <paramref name="ok"/> (else <paramref name="outside"/> says the bounds);
    /// "4", "4.5", "4,5" and "4 %" all read.</summary>
    private static double? Percent(string raw, string field, Errors e, Func<double, bool>? ok = null, string? outside = null)
    {
        var t = raw.Replace("%", "").Replace(',', '.').Trim();
        var read = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && double.IsFinite(p);
        if (read && (ok?.Invoke(p) ?? p is > 0 and < 100)) return p;
        e.Add(field, read && outside is not null ? outside : $"'{raw.Trim()}' is not a percentage between 0 and 100.");
        return null;
    }

    private static T[] Parse<T>(List<string> values, string field, string what, Errors e) where T : struct, Enum
    {
        var list = new List<T>();
        foreach (var v in values)
            if (Enum.TryParse<T>(v, true, out var x) && Enum.IsDefined(x)) list.Add(x);
            else e.Add(field, $"'{v}' is not a {what}.");
        return [.. list];
    }

    private static string Pct(double rate) => (rate * 100).ToString("0.##", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^steps\[(\d+)\]\.")]
    private static partial Regex StepIndex();

    [GeneratedRegex(@"^content\.steps\[(\d+)\](\.variants\[(\d+)\])?(.*)$")]
    private static partial Regex ContentPath();
}
