using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Nurture;

/// <summary>
/// The signed addresses in a nurture email (decision 0073): one-click unsubscribe per person, clicks per send and target, the
/// open pixel per send. Each carries an HMAC-SHA256 under the key every instance shares (the <see cref="NurtureState"/> row),
/// cut to 128 bits: unguessable, and a tampered id or target fails the check.
/// </summary>
public sealed class NurtureLinks(byte[] key, string baseUrl)
{
    public string BaseUrl { get; } = baseUrl.TrimEnd('/');

    public string UnsubscribeToken(int personId) => $"{Id(personId)}-{Sign($"u:{personId}")}";
    public string UnsubscribeUrl(int personId) => $"{BaseUrl}/n/u/{UnsubscribeToken(personId)}";
    public string ClickUrl(long sendId, string target) => $"{BaseUrl}/n/c/{Id(sendId)}-{Sign($"c:{sendId}:{target}")}?u={Uri.EscapeDataString(target)}";
    public string OpenUrl(long sendId) => $"{BaseUrl}/n/o/{Id(sendId)}-{Sign($"o:{sendId}")}";

    public int? CheckUnsubscribe(string token) => Split(token) is { } t && Same(t.Sig, Sign($"u:{t.Id}")) && t.Id <= int.MaxValue ? (int)t.Id : null;
    public long? CheckClick(string token, string target) => Split(token) is { } t && Same(t.Sig, Sign($"c:{t.Id}:{target}")) ? t.Id : null;
    public long? CheckOpen(string token) => Split(token) is { } t && Same(t.Sig, Sign($"o:{t.Id}")) ? t.Id : null;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private string Sign(string what) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(what)), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (long Id, string Sig)? Split(string? token)
    {
        var dash = token?.IndexOf('-') ?? -1;
        if (dash <= 0 || !long.TryParse(token.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        return (id, token![(dash + 1)..]);
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>The shared state row, made on first use (two instances racing: the second reads the first's).</summary>
    public static async Task<NurtureState> StateAsync(TandemDb db, CancellationToken ct)
    {
        if (await db.NurtureState.AsNoTracking().FirstOrDefaultAsync(s => s.Id == 1, ct) is { } found) return found;
        // The first pass re-evaluates every recycled person whose date has already passed: none was re-evaluated before nurture existed.
        var state = new NurtureState { Id = 1, LinkKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ReengagedThrough = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
        db.NurtureState.Add(state);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { } // another instance made it first: theirs is read below
        finally { db.Entry(state).State = EntityState.Detached; }
        return await db.NurtureState.AsNoTracking().FirstAsync(s => s.Id == 1, ct);
    }
}

/// <summary>The process's <see cref="NurtureLinks"/>: the key read once from the database.</summary>
public sealed class NurtureKeys(NurtureOptions options)
{
    private NurtureLinks? _links;

    public async Task<NurtureLinks> LinksAsync(TandemDb db, CancellationToken ct) =>
        _links ??= new NurtureLinks(Convert.FromBase64String((await NurtureLinks.StateAsync(db, ct)).LinkKey), options.PublicUrl);
}
