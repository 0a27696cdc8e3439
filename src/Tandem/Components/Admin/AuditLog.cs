using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Activity;

namespace Tandem.Components.Admin;

/// <summary>The audit page's filters, as typed into its GET form. Dates are whole UTC days; "to" includes its day.</summary>
public sealed record AuditFilter(string? Actor, SubjectKind? SubjectKind, string? Kind, DateOnly? From, DateOnly? To, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const string Denied = "access.denied";

    public bool Any => Actor is not null || SubjectKind is not null || Kind is not null || From is not null || To is not null;

    /// <summary>Unreadable values are dropped rather than failing the page, as on the people list.</summary>
    public static AuditFilter Parse(string? actor, string? subjectKind, string? kind, string? from, string? to, int? page, int? pageSize) => new(
        Clean(actor),
        Enum.TryParse<SubjectKind>(subjectKind, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null,
        Clean(kind),
        DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) ? f : null,
        DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null,
        Math.Max(1, page ?? 1),
        Math.Clamp(pageSize ?? DefaultPageSize, 1, Paging.MaxPageSize));

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>An entry with its actor in words ("Dana Reyes (user:3)"), so admins need not look ids up.</summary>
public sealed record AuditRow(ActivityEntry Entry, string ActorName)
{
    public bool IsDenial => Entry.Kind == AuditFilter.Denied;
}

/// <summary>Reads the log for the audit page. Read-only by construction: it never attaches an entry for change.</summary>
public static class AuditLog
{
    public static async Task<Page<AuditRow>> LoadAsync(TandemDb db, AuditFilter f, CancellationToken ct)
    {
        var q = db.Activity.AsNoTracking();
        if (f.Actor is not null) q = q.Where(a => a.Actor == f.Actor);
        if (f.SubjectKind is not null) q = q.Where(a => a.SubjectKind == f.SubjectKind);
        if (f.Kind is not null) q = q.Where(a => a.Kind == f.Kind);
        if (f.From is { } from) q = q.Where(a => a.At >= from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        if (f.To is { } to) q = q.Where(a => a.At < to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var page = await q.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToPageAsync(f.Page, f.PageSize, a => a, ct);

        // The same names every other page gives (Actors): "Ana Ruiz", "API key “CRM sync”", "Tandem".
        var actors = await Actors.LoadAsync(db, page.Items.Select(a => a.Actor), ct);
        return new Page<AuditRow>(page.Items.Select(a => new AuditRow(a, actors.Label(a.Actor))).ToList(),
            page.PageNumber, page.PageSize, page.Total);
    }

    /// <summary>The kinds seen in the log, for the filter's suggestions.</summary>
    public static Task<List<string>> KindsAsync(TandemDb db, CancellationToken ct) =>
        db.Activity.AsNoTracking().Select(a => a.Kind).Distinct().OrderBy(k => k).ToListAsync(ct);
}

/// <summary>Log details are JSON written for machines; the page shows their top level as name/value pairs.</summary>
public static class AuditDetail
{
    public static IReadOnlyList<(string Name, string Value)> Pairs(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail) || detail[0] != '{') return detail is null ? [] : [("", detail)];
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(detail);
            return doc.RootElement.EnumerateObject()
                .Select(p => (p.Name, p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))
                .ToList();
        }
        catch (System.Text.Json.JsonException)
        {
            return [("", detail)]; // shown as stored rather than hidden: it is an audit trail
        }
    }
}
