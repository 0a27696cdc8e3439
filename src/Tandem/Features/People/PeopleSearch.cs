namespace Tandem.Features.People;

/// <summary>The one meaning of "search people", shared by the API and the People page so both find the same people.</summary>
public static class PeopleSearch
{
    /// <summary>Case-insensitive substring match on email, external id, first name, last name and title; blank <paramref name="q"/> matches all.</summary>
    public static IQueryable<Person> Matching(this IQueryable<Person> query, string? q)
    {
        if (string.IsNullOrWhiteSpace(q)) return query;
        var term = q.Trim().ToLowerInvariant();
        return query.Where(p => (p.Email != null && p.Email.Contains(term)) || (p.ExternalId != null && p.ExternalId.ToLower().Contains(term)) || (p.FirstName != null && p.FirstName.ToLower().Contains(term))
            || (p.LastName != null && p.LastName.ToLower().Contains(term)) || (p.Title != null && p.Title.ToLower().Contains(term)));
    }
}
