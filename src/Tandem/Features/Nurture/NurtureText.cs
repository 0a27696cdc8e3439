using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Features.Nurture;

/// <summary>Tracks in sentences, for the pages and the CLI.</summary>
public static class NurtureText
{
    public static string Enrols(EnrolRule r)
    {
        var who = r.Stage == LifecycleStage.Nurture
            ? "recycled leads" + (r.RecycleReasons is { Length: > 0 } reasons ? $" ({string.Join(" or ", reasons)})" : "")
            : "inquiries below the MQL score";
        var parts = new List<string>();
        if (r.Personas is { Length: > 0 } p) parts.Add("persona " + string.Join(" or ", p));
        if (r.Grades is { Length: > 0 } g) parts.Add("fit " + string.Join(" or ", g));
        if (r.Channels is { Length: > 0 } c) parts.Add("from " + string.Join(" or ", c.Select(x => PlainLanguage.Words(x.ToString()))));
        if (r.Properties is { Count: > 0 } props) parts.AddRange(props.Select(kv => $"{kv.Key} = {kv.Value}"));
        return "Enrols " + who + (parts.Count > 0 ? ", " + string.Join(", ", parts) : "");
    }

    public static string Step(Step s) => s.Kind switch
    {
        StepKind.Wait => $"Wait {s.Days} business day{(s.Days == 1 ? "" : "s")}",
        StepKind.Branch => $"If they clicked, {Target(s.IfClicked)}; if not, {Target(s.IfNotClicked)}",
        _ => $"Email \"{s.Variants![0].Subject}\"" + (s.Variants.Length > 1 ? $" and {s.Variants.Length - 1} other variant{(s.Variants.Length > 2 ? "s" : "")}" : "")
             + (s.Test is { } t && (s.Variants.Length > 1 || t.HoldoutPercent > 0)
                 ? $"; {(t.Mode == TestMode.Fixed ? "fixed-horizon test" : "sequential test")} on {Reward(t.Reward)}, {t.HoldoutPercent} % held out, "
                   + $"significance {Pct(t.Alpha)} %, power {Pct(t.Power)} % to find a lift of {Pct(t.Mde)} points" : ""),
    };

    private static string Pct(double rate) => (rate * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    public static string Reward(Reward r) => r switch { Nurture.Reward.Click => "clicks", Nurture.Reward.Reply => "replies or meetings", _ => "MQL within the window" };

    public static string Variant(string key) => key == VariantAssignment.Control ? "Control (no email)" : key;

    private static string Target(string? key) => key switch { null => "go on to the next step", TrackContent.End => "end the track", _ => $"go to step {key}" };
}
