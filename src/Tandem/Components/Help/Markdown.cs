using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Tandem.Components.Help;

/// <summary>
/// Just enough Markdown for the guide pages shipped inside the app: headings, paragraphs, lists, tables, fenced code,
/// inline code, bold, emphasis and links. Everything is HTML-escaped first, so a page can never inject markup. Links to
/// another guide page become /help/… links; links to repository files that have no page become plain text.
/// </summary>
/// <remarks>No Markdown package is referenced and the guide uses a small, regular subset; a dependency for it was not worth it.</remarks>
public static partial class Markdown
{
    public static string ToHtml(string markdown, Func<string, string?> link)
    {
        var html = new StringBuilder();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var para = new List<string>();
        string? list = null;
        void Flush()
        {
            if (para.Count > 0) html.Append("<p>").Append(Inline(string.Join(' ', para), link)).Append("</p>\n");
            para.Clear();
        }
        void CloseList()
        {
            if (list is not null) html.Append("</").Append(list).Append(">\n");
            list = null;
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Flush(); CloseList();
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++) code.Append(lines[i]).Append('\n');
                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(code.ToString())).Append("</code></pre>\n");
                continue;
            }
            if (trimmed.Length == 0) { Flush(); CloseList(); continue; }
            if (Heading().Match(trimmed) is { Success: true } h)
            {
                Flush(); CloseList();
                var level = Math.Min(h.Groups[1].Length + 1, 6); // the page's own title is the h1
                html.Append($"<h{level}>").Append(Inline(h.Groups[2].Value, link)).Append($"</h{level}>\n");
                continue;
            }
            if (trimmed.StartsWith('|'))
            {
                Flush(); CloseList();
                var rows = new List<string>();
                for (; i < lines.Length && lines[i].Trim().StartsWith('|'); i++) rows.Add(lines[i].Trim());
                i--;
                html.Append("<div class=\"help-table\"><table class=\"data\">\n");
                for (var r = 0; r < rows.Count; r++)
                {
                    if (Separator().IsMatch(rows[r])) continue;
                    var cells = rows[r].Trim('|').Split('|');
                    var tag = r == 0 ? "th" : "td";
                    html.Append("<tr>");
                    foreach (var c in cells) html.Append($"<{tag}>").Append(Inline(c.Trim(), link)).Append($"</{tag}>");
                    html.Append("</tr>\n");
                }
                html.Append("</table></div>\n");
                continue;
            }
            if (Item().Match(line) is { Success: true } item)
            {
                Flush();
                var kind = char.IsDigit(item.Groups[2].Value[0]) ? "ol" : "ul";
                if (list != kind) { CloseList(); html.Append('<').Append(kind).Append(">\n"); list = kind; }
                var text = new StringBuilder(item.Groups[3].Value);
                // Continuation lines (indented, not a new item) belong to this item.
                while (i + 1 < lines.Length && lines[i + 1].StartsWith("  ", StringComparison.Ordinal) && lines[i + 1].Trim().Length > 0
                       && !Item().IsMatch(lines[i + 1]))
                    text.Append(' ').Append(lines[++i].Trim());
                var nested = item.Groups[1].Length >= 2 ? " class=\"nested\"" : "";
                html.Append($"<li{nested}>").Append(Inline(text.ToString(), link)).Append("</li>\n");
                continue;
            }
            CloseList();
            para.Add(trimmed);
        }
        Flush(); CloseList();
        return html.ToString();
    }

    /// <summary>Escapes, then marks up code spans, links, bold and emphasis (code spans first, so their content stays literal).</summary>
    public static string Inline(string text, Func<string, string?> link)
    {
        var codes = new List<string>();
        var s = CodeSpan().Replace(text, m => { codes.Add(WebUtility.HtmlEncode(m.Groups[1].Value)); return $"\u0001{codes.Count - 1}\u0002"; });
        s = WebUtility.HtmlEncode(s);
        s = Link().Replace(s, m =>
        {
            var target = link(WebUtility.HtmlDecode(m.Groups[2].Value));
            return target is null ? m.Groups[1].Value : $"<a href=\"{WebUtility.HtmlEncode(target)}\">{m.Groups[1].Value}</a>";
        });
        s = Bold().Replace(s, "<strong>$1</strong>");
        s = Emphasis().Replace(s, "<em>$1</em>");
        return Placeholder().Replace(s, m => "<code>" + codes[int.Parse(m.Groups[1].Value)] + "</code>");
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")] private static partial Regex Heading();
    [GeneratedRegex(@"^\|?\s*:?-{2,}")] private static partial Regex Separator();
    [GeneratedRegex(@"^(\s*)([-*]|\d+\.)\s+(.*)$")] private static partial Regex Item();
    [GeneratedRegex(@"`([^`]+)`")] private static partial Regex CodeSpan();
    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")] private static partial Regex Link();
    [GeneratedRegex(@"\*\*(.+?)\*\*")] private static partial Regex Bold();
    [GeneratedRegex(@"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")] private static partial Regex Emphasis();
    [GeneratedRegex("\u0001(\\d+)\u0002")] private static partial Regex Placeholder();
}
