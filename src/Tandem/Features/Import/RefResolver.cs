using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Import;

/// <summary>A candidate for a reference: its id and up to three keys, tried in order (externalId, then name…).</summary>
internal readonly record struct RefKeys(int Id, string? A, string? B, string? C);

/// <summary>
/// Resolves references (an account's name, an owner's email…) to ids. Keys of a batch are fetched in one
/// query; hits are cached for the rest of the import, misses are asked again (a later batch may have created them).
/// </summary>
internal sealed class RefResolver(string noun, string keysDescription, Func<List<string>, CancellationToken, Task<List<RefKeys>>> query)
{
    private readonly Dictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ambiguous = new(StringComparer.Ordinal);

    public async Task PrefetchAsync(IEnumerable<string?> keys, CancellationToken ct)
    {
        var wanted = keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!.Trim())
            .Where(k => !_hits.ContainsKey(k)).Distinct().ToList();
        foreach (var chunk in wanted.Chunk(500))
        {
            var rows = await query([.. chunk], ct);
            foreach (var key in chunk)
            {
                // The first key kind that matches anything decides: an externalId beats a name.
                int[] ids = rows.Where(r => r.A == key).Select(r => r.Id).ToArray() is { Length: > 0 } a ? a
                    : rows.Where(r => r.B == key).Select(r => r.Id).ToArray() is { Length: > 0 } b ? b
                    : rows.Where(r => r.C == key).Select(r => r.Id).ToArray();
                if (ids.Length == 1) _hits[key] = ids[0];
                else if (ids.Length > 1) _ambiguous[key] = $"'{key}' matches {ids.Length} {noun}s (ids {string.Join(", ", ids.Order())}); use an externalId";
            }
        }
    }

    public int? Find(string key, out string? error)
    {
        key = key.Trim();
        error = null;
        if (_hits.TryGetValue(key, out var id)) return id;
        error = _ambiguous.GetValueOrDefault(key) ?? $"unknown {noun} '{key}' (matched by {keysDescription})";
        return null;
    }

    public static RefResolver Accounts(TandemDb db) => new("account", "externalId, name, domain", async (keys, ct) =>
        await db.Accounts.AsNoTracking().Where(a => keys.Contains(a.ExternalId!) || keys.Contains(a.Name) || keys.Contains(a.Domain!))
            .Select(a => new RefKeys(a.Id, a.ExternalId, a.Name, a.Domain)).ToListAsync(ct));

    public static RefResolver Users(TandemDb db) => new("user", "externalId, name, email", async (keys, ct) =>
        await db.Users.AsNoTracking().Where(u => keys.Contains(u.ExternalId!) || keys.Contains(u.Name) || keys.Contains(u.Email))
            .Select(u => new RefKeys(u.Id, u.ExternalId, u.Name, u.Email)).ToListAsync(ct));

    public static RefResolver Campaigns(TandemDb db) => new("campaign", "externalId, name", async (keys, ct) =>
        await db.Campaigns.AsNoTracking().Where(c => keys.Contains(c.ExternalId!) || keys.Contains(c.Name))
            .Select(c => new RefKeys(c.Id, c.ExternalId, c.Name, null)).ToListAsync(ct));

    public static RefResolver People(TandemDb db) => new("person", "externalId, email", async (keys, ct) =>
    {
        var emails = keys.Select(Tandem.Features.People.EmailAddress.Normalize).ToList();
        var rows = await db.People.AsNoTracking().Where(p => keys.Contains(p.ExternalId!) || (p.Email != null && emails.Contains(p.Email)))
            .Select(p => new { p.Id, p.ExternalId, p.Email }).ToListAsync(ct);
        // Emails are stored normalized; answer under the key as written so Find sees it.
        return rows.Select(p => new RefKeys(p.Id, p.ExternalId, keys.FirstOrDefault(k => Tandem.Features.People.EmailAddress.Normalize(k) == p.Email), null)).ToList();
    });
}
