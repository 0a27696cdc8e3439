using NodaTime;
using Tandem.Features.Plan;

namespace Tandem.Features.Cadence;

/// <summary>What to look for among field notes. Dates are days in the company time zone, both ends included.</summary>
public sealed record NoteFilter(string? Q = null, NoteKind? Kind = null, DateOnly? From = null, DateOnly? To = null,
    int? PersonId = null, int? OpportunityId = null);

/// <summary>
/// The one search over field notes: the API (GET /api/notes), `tandem notes list` and the notes page all call it, so a
/// phrase finds the same notes everywhere. The text match is a case-insensitive "contains" (lowered on both sides, which
/// SQLite and PostgreSQL both translate), newest first.
/// </summary>
public static class NoteSearch
{
    public const int Limit = 500;

    public static IQueryable<FieldNote> Apply(IQueryable<FieldNote> query, NoteFilter f, DateTimeZone zone)
    {
        if (f.Kind is { } k) query = query.Where(n => n.Kind == k);
        if (f.PersonId is { } p) query = query.Where(n => n.PersonId == p);
        if (f.OpportunityId is { } o) query = query.Where(n => n.OpportunityId == o);
        if (f.From is { } from)
        {
            var start = Periods.Utc(from, zone);
            query = query.Where(n => n.At >= start);
        }
        if (f.To is { } to)
        {
            var end = Periods.Utc(to.AddDays(1), zone);
            query = query.Where(n => n.At < end);
        }
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var q = f.Q.Trim().ToLowerInvariant();
            query = query.Where(n => n.Text.ToLower().Contains(q));
        }
        return query.OrderByDescending(n => n.At).ThenByDescending(n => n.Id);
    }

    /// <summary>A problem with the filter in a sentence, or null.</summary>
    public static string? Problem(NoteFilter f) =>
        f.From is { } a && f.To is { } b && b < a ? $"The end date {b:yyyy-MM-dd} is before the start date {a:yyyy-MM-dd}." : null;
}
