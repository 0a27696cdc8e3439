using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Tandem.Features.Nurture;

/// <summary>A message as sent: both parts, and the link targets it carries (a click may only lead to one of these).</summary>
public sealed record Rendered(string Subject, string Html, string Text, IReadOnlyList<string> Links);

/// <summary>
/// Message templates (decision 0071): plain text with personalization fields <c>{{ firstName }}</c> (or
/// <c>{{ firstName | there }}</c> with a fallback), links written <c>[label](https://…)</c>, paragraphs separated by a blank
/// line. The HTML part is generated with every value and every literal escaped; the plain-text part is generated beside it.
/// Pure: checked at save, rendered for a preview and for each send.
/// </summary>
public static partial class MessageTemplate
{
    public static readonly string[] Fields = ["firstName", "lastName", "name", "email", "title", "company"];

    [GeneratedRegex(@"\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}")]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"\[([^\[\]\n]+)\]\(([^()\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\r?\n[ \t]*\r?\n")]
    private static partial Regex ParagraphBreak();

    /// <summary>Every problem of a subject or body, as sentences naming the field or link at fault; empty when fine.</summary>
    public static List<string> Check(string template, bool links)
    {
        var errors = new List<string>();
        foreach (Match m in FieldPattern().Matches(template))
            if (!Fields.Contains(m.Groups[1].Value, StringComparer.Ordinal))
                errors.Add($"Unknown field '{m.Groups[1].Value}' in '{m.Value}': the fields are {string.Join(", ", Fields)}.");
        var rest = FieldPattern().Replace(template, "");
        if (rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal))
            errors.Add("A field is not closed: write fields as {{ firstName }}.");
        if (links)
            foreach (Match m in LinkPattern().Matches(template))
            {
                var url = m.Groups[2].Value;
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http"))
                    errors.Add($"The link '{url}' is not an absolute http(s) address.");
                else if (url.Contains("{{", StringComparison.Ordinal))
                    errors.Add($"The link '{url}' contains a field; link targets are fixed so every click can be checked against them.");
            }
        return errors;
    }

    /// <summary>The link targets of a body, in order, each once.</summary>
    public static List<string> LinksOf(string body) => [.. LinkPattern().Matches(body).Select(m => m.Groups[2].Value).Distinct(StringComparer.Ordinal)];

    /// <param name="track">Turns a link target into the tracked address that leads to it.</param>
    /// <param name="unsubscribe">The one-click unsubscribe address, shown at the foot of both parts.</param>
    /// <param name="openPixel">The open-tracking image's address, when opens are recorded (they are shown, never optimised on).</param>
    public static Rendered Render(Variant v, IReadOnlyDictionary<string, string?> values, Func<string, string> track, string unsubscribe, string? openPixel = null)
    {
        var subject = Fill(v.Subject, values, s => s).ReplaceLineEndings(" ");
        var html = new StringBuilder();
        var text = new StringBuilder();
        foreach (var paragraph in ParagraphBreak().Split(v.Body.Trim()))
        {
            html.Append("<p>");
            var at = 0;
            foreach (Match m in LinkPattern().Matches(paragraph))
            {
                Literal(paragraph[at..m.Index]);
                var target = track(m.Groups[2].Value);
                var label = Fill(m.Groups[1].Value, values, s => s);
                html.Append("<a href=\"").Append(WebUtility.HtmlEncode(target)).Append("\">").Append(Fill(m.Groups[1].Value, values, WebUtility.HtmlEncode)).Append("</a>");
                text.Append(label).Append(" (").Append(target).Append(')');
                at = m.Index + m.Length;
            }
            Literal(paragraph[at..]);
            html.Append("</p>\n");
            text.Append("\n\n");
        }
        html.Append("<p style=\"font-size:small;color:#666\">Not interested? <a href=\"").Append(WebUtility.HtmlEncode(unsubscribe))
            .Append("\">Unsubscribe</a> and you will get no more of these emails.</p>\n");
        if (openPixel is not null) html.Append("<img src=\"").Append(WebUtility.HtmlEncode(openPixel)).Append("\" width=\"1\" height=\"1\" alt=\"\">\n");
        text.Append("Not interested? Unsubscribe: ").Append(unsubscribe).Append('\n');
        return new Rendered(subject, html.ToString(), text.ToString(), LinksOf(v.Body));

        void Literal(string s)
        {
            html.Append(Fill(s, values, WebUtility.HtmlEncode).ReplaceLineEndings("<br>\n"));
            text.Append(Fill(s, values, x => x).ReplaceLineEndings("\n"));
        }
    }

    /// <summary>Fields replaced by their values (or fallback); <paramref name="encode"/> applies to literals and values alike.</summary>
    private static string Fill(string s, IReadOnlyDictionary<string, string?> values, Func<string, string> encode)
    {
        var sb = new StringBuilder();
        var at = 0;
        foreach (Match m in FieldPattern().Matches(s))
        {
            sb.Append(encode(s[at..m.Index]));
            var value = values.GetValueOrDefault(m.Groups[1].Value);
            sb.Append(encode(string.IsNullOrWhiteSpace(value) ? m.Groups[2].Value : value.Trim()));
            at = m.Index + m.Length;
        }
        sb.Append(encode(s[at..]));
        return sb.ToString();
    }

    /// <summary>The values of a person's fields.</summary>
    public static Dictionary<string, string?> Values(string? firstName, string? lastName, string email, string? title, string? company) => new()
    {
        ["firstName"] = firstName, ["lastName"] = lastName,
        ["name"] = string.Join(' ', new[] { firstName, lastName }.Where(x => !string.IsNullOrWhiteSpace(x))),
        ["email"] = email, ["title"] = title, ["company"] = company,
    };
}
