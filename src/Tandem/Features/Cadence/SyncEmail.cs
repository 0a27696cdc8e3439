using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Notifications;

namespace Tandem.Features.Cadence;

/// <summary>
/// The record by email: HTML and text from <see cref="SyncOutline"/>, the PDF attached, one email per team to its
/// distribution list. Rows go into the email outbox in the caller's transaction, so a record is sent once, after an SMTP
/// outage too (decision 0044): <see cref="EmailOutbox"/> retries with backoff and marks a row sent only once accepted.
/// </summary>
public static class SyncEmail
{
    public const string EventType = "sync.record";
    public static string Ref(string week) => $"sync:{week}";

    /// <summary>Each team's recipients: its list from settings, else its active members' addresses. Teams with none are skipped.</summary>
    public static async Task<List<(string Team, string[] To)>> ListsAsync(TandemDb db, CadenceOptions options, CancellationToken ct)
    {
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var members = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.TeamId != null).Select(u => new { u.TeamId, u.Email }).ToListAsync(ct))
            .ToLookup(u => u.TeamId!.Value, u => u.Email);
        var result = new List<(string, string[])>();
        foreach (var t in teams)
        {
            var to = options.Lists.TryGetValue(t.Name, out var list)
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [.. members[t.Id].Where(Recipients.IsAddress).Order()];
            if (to.Length > 0) result.Add((t.Name, to));
        }
        return result;
    }

    /// <summary>Adds one outbox row per team to <paramref name="db"/> (not saved).</summary>
    public static async Task<List<OutboxEmail>> QueueAsync(TandemDb db, SyncRecord record, SyncDocument doc, CadenceOptions options, CancellationToken ct)
    {
        var pdf = SyncPdf.Render(doc, record.Sha256);
        // Built once for every team: the bodies do not depend on the list, and the charts are drawn once.
        var (text, html) = (Text(doc, record), Html(doc, record));
        var rows = new List<OutboxEmail>();
        foreach (var (team, to) in await ListsAsync(db, options, ct))
        {
            var row = new OutboxEmail
            {
                EventType = EventType, To = string.Join(',', to), Subject = $"{SyncOutline.Title(doc)} — {team}",
                Text = text, Html = html, CreatedAt = db.UtcNow, NextAttemptAt = db.UtcNow, Ref = Ref(record.Week),
                AttachmentName = $"tandem-sync-{record.Week}.pdf", Attachment = pdf,
            };
            db.EmailOutbox.Add(row);
            rows.Add(row);
        }
        return rows;
    }

    public static string Text(SyncDocument doc, SyncRecord record)
    {
        var b = new StringBuilder().AppendLine(SyncOutline.Title(doc)).AppendLine();
        foreach (var s in SyncOutline.Of(doc))
        {
            b.AppendLine(s.Title.ToUpperInvariant());
            foreach (var l in s.Lines) b.Append("- ").AppendLine(l);
            b.AppendLine();
        }
        return b.AppendLine($"Revision {record.Revision}, SHA-256 {record.Sha256}. The PDF is attached.").ToString();
    }

    /// <summary>Every piece of text is HTML-encoded: a note's markup arrives as characters.</summary>
    public static string Html(SyncDocument doc, SyncRecord record)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var b = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif;max-width:720px\">");
        b.Append("<h1 style=\"font-size:20px\">").Append(E(SyncOutline.Title(doc))).Append("</h1>");
        b.Append("<table style=\"border-collapse:collapse\">");
        foreach (var k in doc.Scorecard.Kpis)
            b.Append("<tr><td style=\"padding:2px 8px\">").Append(E(k.Name)).Append("</td><td style=\"padding:2px 8px;text-align:right\">")
                .Append(E(SyncOutline.Value(k.Unit, k.Value))).Append("</td><td style=\"padding:2px 8px\">").Append(Spark(k.Unit, k.Trend))
                .Append("</td><td style=\"padding:2px 8px;color:").Append(Colour(k.Status)).Append("\">").Append(E(SyncOutline.Status(k.Status))).Append("</td></tr>");
        b.Append("</table>");
        foreach (var s in SyncOutline.Of(doc))
        {
            b.Append("<h2 style=\"font-size:16px\">").Append(E(s.Title)).Append("</h2><ul>");
            foreach (var l in s.Lines) b.Append("<li>").Append(E(l)).Append("</li>");
            b.Append("</ul>");
        }
        return b.Append("<p style=\"color:#666;font-size:12px\">Revision ").Append(record.Revision).Append(", SHA-256 ").Append(E(record.Sha256))
            .Append(". The PDF is attached.</p></body></html>").ToString();
    }

    /// <summary>The eight-week trend as a PNG (<see cref="SyncCharts"/>), carried as a data URI that the sender turns into an
    /// inline part referenced by Content-Id; its alt text holds the figures for clients that block images.</summary>
    private static string Spark(string unit, IReadOnlyList<double?> trend)
    {
        var words = WebUtility.HtmlEncode(SyncCharts.Describe(unit, trend));
        return $"<img src=\"{SyncCharts.DataUri(SyncCharts.Trend(trend))}\" width=\"{SyncCharts.Width}\" height=\"{SyncCharts.Height}\" alt=\"{words}\" title=\"{words}\" style=\"display:block\">";
    }

    private static string Colour(string status) => status switch { "Green" => "#2e7d32", "Amber" => "#b26a00", "Red" or "Broken" => "#c62828", _ => "#666" };
}
