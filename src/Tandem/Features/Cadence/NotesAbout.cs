using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Cadence;

/// <summary>What each note is about, in words: "Ann Lee (Acme)", "Acme", "Acme – New business".</summary>
public static class NotesAbout
{
    public static async Task<Dictionary<int, string>> NamesAsync(TandemDb db, IReadOnlyList<FieldNote> notes, CancellationToken ct)
    {
        var personIds = notes.Where(n => n.PersonId != null).Select(n => n.PersonId!.Value).Distinct().ToList();
        var oppIds = notes.Where(n => n.OpportunityId != null).Select(n => n.OpportunityId!.Value).Distinct().ToList();
        var accountIds = notes.Where(n => n.AccountId != null).Select(n => n.AccountId!.Value).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var opps = await db.Opportunities.AsNoTracking().Where(o => oppIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var result = new Dictionary<int, string>();
        foreach (var n in notes)
        {
            var parts = new List<string>();
            if (n.PersonId is { } p && people.TryGetValue(p, out var pn)) parts.Add(pn);
            if (n.OpportunityId is { } o && opps.TryGetValue(o, out var on)) parts.Add(on);
            if (n.AccountId is { } a && accounts.TryGetValue(a, out var an)) parts.Add(an);
            if (parts.Count > 0) result[n.Id] = string.Join(", ", parts);
        }
        return result;
    }
}
