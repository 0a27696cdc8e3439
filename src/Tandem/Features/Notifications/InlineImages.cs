using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Tandem.Features.Notifications;

/// <summary>A picture sent inside the HTML body: a part of the message that the HTML names as <c>cid:ContentId</c>.</summary>
public sealed record EmailInline(string ContentId, string Name, byte[] Content);

/// <summary>
/// Turns the data-URI images of an email's HTML into inline parts (multipart/related, Content-Id), pure. The outbox row
/// stores the HTML with its pictures as data URIs, so one column holds the whole body and a retry sends the same bytes; most
/// mail clients (Gmail, Outlook) do not show data-URI images, so they leave as parts the HTML references by
/// <c>cid:</c> (decision 0093).
/// </summary>
public static partial class InlineImages
{
    /// <summary>The HTML with each <c>src="data:image/png;base64,…"</c> replaced by <c>src="cid:…"</c>, and the parts. The
    /// Content-Id is the picture's hash, so a resend names the same parts and two identical pictures travel once.</summary>
    public static (string? Html, IReadOnlyList<EmailInline> Parts) Extract(string? html)
    {
        if (html is null || !html.Contains("data:image/", StringComparison.Ordinal)) return (html, []);
        var parts = new List<EmailInline>();
        var result = DataUri().Replace(html, m =>
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(m.Groups["data"].Value); }
            catch (FormatException) { return m.Value; } // not ours to mend: left as it was written
            var type = m.Groups["type"].Value;
            var id = $"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..24]}@tandem.invalid";
            if (!parts.Any(p => p.ContentId == id)) parts.Add(new EmailInline(id, $"chart-{parts.Count + 1}.{type}", bytes));
            return $"src=\"cid:{id}\"";
        });
        return (result, parts);
    }

    [GeneratedRegex("src=\"data:image/(?<type>png|gif|jpeg);base64,(?<data>[A-Za-z0-9+/=]+)\"")]
    private static partial Regex DataUri();
}
