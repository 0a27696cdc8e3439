using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Tandem.Data.Feed;

/// <summary>What a run of feed entries changed, merged: the unit a follower applies.</summary>
public sealed class FeedDelta
{
    public long From { get; init; }
    public long To { get; set; }
    public HashSet<int> People { get; } = [];
    public HashSet<int> Opportunities { get; } = [];
    public HashSet<string> Tables { get; } = new(StringComparer.Ordinal);
    /// <summary>The feed cannot be followed here: a bulk load, or entries already pruned. Rebuild from the database.</summary>
    public bool Full { get; set; }
}

/// <summary>Reading the change feed (decision 0041). Readers keep the last sequence number they applied.</summary>
public static class ChangeFeed
{
    /// <summary>Entries are kept this long; a reader further behind rebuilds.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>The last committed sequence number: every entry up to it is visible to a read that starts after this one.</summary>
    public static async Task<long> HeadAsync(TandemDb db, CancellationToken ct) =>
        await db.Set<ChangeFeedHead>().AsNoTracking().Where(h => h.Id == 1).Select(h => h.Seq).FirstOrDefaultAsync(ct);

    /// <summary>Everything after <paramref name="after"/> up to <paramref name="head"/>, merged; a gap (pruned entries) makes it full.</summary>
    public static async Task<FeedDelta> ReadAsync(TandemDb db, long after, long head, CancellationToken ct)
    {
        var delta = new FeedDelta { From = after, To = after };
        await foreach (var e in db.ChangeFeed.AsNoTracking().Where(e => e.Seq > after && e.Seq <= head).OrderBy(e => e.Seq)
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Seq != delta.To + 1) delta.Full = true;
            delta.To = e.Seq;
            delta.Full |= e.Full;
            if (delta.Full) continue;
            Add(delta.People, e.People);
            Add(delta.Opportunities, e.Opportunities);
            foreach (var t in (e.Tables ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)) delta.Tables.Add(t);
        }
        if (delta.To != head) delta.Full = true;
        delta.To = head;
        return delta;
    }

    /// <summary>
    /// Drops entries older than <see cref="Retention"/>, oldest first, 10,000 sequence numbers per statement so no write waits
    /// long behind it (a busy day adds close to a million). Safe on any number of instances at once: a delete of rows
    /// another instance already deleted deletes nothing. Returns how many went.
    /// </summary>
    public static async Task<int> PruneAsync(TandemDb db, CancellationToken ct)
    {
        const int Chunk = 10_000;
        var before = db.UtcNow - Retention;
        var total = 0;
        while (await db.ChangeFeed.MinAsync(e => (long?)e.Seq, ct) is { } oldest)
        {
            var end = oldest + Chunk;
            var gone = await db.ChangeFeed.Where(e => e.Seq < end && e.At < before).ExecuteDeleteAsync(ct);
            total += gone;
            if (gone < Chunk) break; // the rest of the range is younger than the cut (sequence and time rise together)
        }
        return total;
    }

    private static void Add(HashSet<int> into, string? ids)
    {
        if (ids is null) return;
        foreach (var part in ids.Split(',', StringSplitOptions.RemoveEmptyEntries)) into.Add(int.Parse(part, CultureInfo.InvariantCulture));
    }
}
