namespace Tandem.Features.Agreement;

public sealed record DiffLine(string Section, string Change, string Text);

/// <summary>Two versions compared line by line, each line in plain language: what was removed and what was added.</summary>
public static class DefinitionDiff
{
    public static IReadOnlyList<(string Section, string Text)> Lines(DefinitionContent d)
    {
        var lines = new List<(string, string)>();
        lines.AddRange(d.Fit.Rules.Select(r => ("Fit", $"{PlainLanguage.Describe(r)}: {(r.Points >= 0 ? "+" : "")}{r.Points}")));
        lines.AddRange(d.Fit.Bands.OrderBy(b => b.Grade).Select(b => ("Grades", $"{b.Grade}: {Range(b)}")));
        lines.Add(("Engagement", d.Engagement.HalfLifeDays is { } h ? $"Points halve every {h:0.##} days" : "Points never fade"));
        lines.AddRange(d.Engagement.Rules.Select(r => ("Engagement", PlainLanguage.Describe(r))));
        lines.Add(("Qualify", $"Fit {PlainLanguage.Better(d.Qualify.MinFit)} and score {d.Qualify.Threshold} or more"));
        lines.AddRange(d.Qualify.FastTrack.Select(f => ("Qualify", $"Fast track: {PlainLanguage.Words(f.Type.ToString())} from fit {PlainLanguage.Better(f.MinFit)}")));
        lines.AddRange(PlainLanguage.Never(d.Exclusions).Select(n => ("Never", n)));
        lines.AddRange(d.Exclusions.CompetitorDomains.Order(StringComparer.Ordinal).Select(c => ("Never", $"competitor domain {c}")));
        lines.Add(("SLA", PlainLanguage.Sla(d)));
        return lines;
    }

    public static IReadOnlyList<DiffLine> Compare(DefinitionContent from, DefinitionContent to)
    {
        var a = Lines(from);
        var b = Lines(to);
        return [.. a.Except(b).Select(l => new DiffLine(l.Section, "removed", l.Text)),
                .. b.Except(a).Select(l => new DiffLine(l.Section, "added", l.Text))];
    }

    private static string Range(GradeBand b) => (b.Min, b.Max) switch
    {
        (null, null) => "any points",
        ({ } lo, null) => $"{lo} points or more",
        (null, { } hi) => $"{hi} points or fewer",
        ({ } lo, { } hi) => $"{lo} to {hi} points",
    };
}
