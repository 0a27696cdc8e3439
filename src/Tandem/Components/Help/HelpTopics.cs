using System.Reflection;
using System.Text.RegularExpressions;

namespace Tandem.Components.Help;

/// <summary>
/// The guide pages (docs/guide/*.md) and the metric definitions (docs/metrics.md), embedded in the program at build
/// time, so every page can link to /help/{topic} instead of naming a repository file the user does not have.
/// </summary>
public static partial class HelpTopics
{
    private const string Prefix = "Tandem.Help.";
    private static readonly Assembly Self = typeof(HelpTopics).Assembly;

    /// <summary>Topic names (file names without ".md"), in alphabetical order.</summary>
    public static IReadOnlyList<string> All { get; } = Self.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^3]).Order(StringComparer.Ordinal).ToList();

    public static string? Source(string topic)
    {
        if (!All.Contains(topic)) return null;
        using var stream = Self.GetManifestResourceStream(Prefix + topic + ".md")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The page's title: its first heading.</summary>
    public static string Title(string source) => source.Split('\n').FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? "Help";

    /// <summary>The text under the first heading, rendered.</summary>
    public static string Body(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n').ToList();
        var first = lines.FindIndex(l => l.StartsWith("# ", StringComparison.Ordinal));
        if (first >= 0) lines.RemoveAt(first);
        return Markdown.ToHtml(string.Join('\n', lines), Link);
    }

    /// <summary>
    /// Where a guide link goes in the app: another guide page or metrics.md → /help/…; a web address stays; a repository
    /// file (a decision record, the code) has no page, so null (the link text stays, without a link).
    /// </summary>
    public static string? Link(string target)
    {
        if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal)) return target;
        if (target.StartsWith('#')) return target;
        var m = MdFile().Match(target);
        return m.Success && All.Contains(m.Groups[1].Value) ? $"/help/{m.Groups[1].Value}{m.Groups[2].Value}" : null;
    }

    [GeneratedRegex(@"(?:^|/)([\w-]+)\.md(#[\w-]+)?$")] private static partial Regex MdFile();
}
