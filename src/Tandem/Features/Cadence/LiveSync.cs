using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Plan;

namespace Tandem.Features.Cadence;

/// <summary>
/// The /sync page's document of a week not yet written, kept between requests (decision 0101). Building it reads the whole
/// funnel (about half a second at a million people), so the page answers from the last one built. A note or action added in
/// the meeting replaces the meeting's part at once; a new active scorecard or approved plan rebuilds the whole document; a
/// document older than <see cref="MaxAge"/> is rebuilt in the background while the page shows the one it has, with the time
/// its numbers are as of. The API and drill-downs build exactly.
/// </summary>
public sealed class LiveSync(SyncRecords records, IServiceScopeFactory scopes, ILogger<LiveSync> log)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private const int Kept = 4;

    /// <summary>What the meeting changes on the page: its notes and actions (<see cref="MeetingPart"/>, read again alone when they
    /// change), and the scorecard and plans the numbers are graded against (the whole document is built again).</summary>
    /// <remarks>Versions, not times: every tracked update raises an item's version, while two updates may carry the same
    /// time, or commit out of their time's order.</remarks>
    private sealed record Stamp(int Notes, int? LastNote, int Actions, long ActionVersions, int? Scorecard, int Plans, DateTime? LastApproval)
    {
        public bool SameGrading(Stamp other) => (Scorecard, Plans, LastApproval) == (other.Scorecard, other.Plans, other.LastApproval);
    }

    private sealed record Entry(SyncDocument Document, DateTime AsOf, Stamp Stamp);

    private readonly Dictionary<string, Entry> _kept = [];
    private readonly SemaphoreSlim _building = new(1, 1);
    private long _builds;
    private readonly HashSet<string> _refreshing = [];
    private readonly Lock _lock = new();

    /// <summary>The live document of <paramref name="week"/> and when it was built.</summary>
    public async Task<(SyncDocument Document, DateTime AsOf)> GetAsync(TandemDb db, IsoWeek week, CancellationToken ct)
    {
        var stamp = await StampAsync(db, ct);
        Entry? entry;
        lock (_lock) _kept.TryGetValue(week.Key, out entry);
        if (entry is null || !entry.Stamp.SameGrading(stamp)) entry = await BuildOnceAsync(db, week, stamp, ct);
        else if (entry.Stamp != stamp)
        {
            entry = entry with { Document = SyncBuilder.WithMeeting(entry.Document, await SyncGatherer.MeetingAsync(db, week, records.Zone, ct)), Stamp = stamp };
            Keep(week, entry);
        }
        if (db.UtcNow - entry.AsOf > MaxAge) RefreshInBackground(week);
        return (entry.Document, entry.AsOf);
    }

    /// <summary>Builds this week's document when none is kept (after a start, or when a new week begins), so the first visitor
    /// finds it ready: at a million people a build takes about a third of a second, and the first one after a start also
    /// waits for Insight's facts. <see cref="CadenceJob"/> calls it after each pass. True when it built.</summary>
    public async Task<bool> WarmAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var week = records.ThisWeek(db);
        lock (_lock)
            if (_kept.ContainsKey(week.Key)) return false;
        await GetAsync(db, week, ct);
        return true;
    }

    /// <summary>A full build, one at a time: visitors who arrive together (after a start or a new scorecard) wait for the first
    /// one's build instead of each gathering the week.</summary>
    private async Task<Entry> BuildOnceAsync(TandemDb db, IsoWeek week, Stamp stamp, CancellationToken ct)
    {
        var seen = Interlocked.Read(ref _builds);
        await _building.WaitAsync(ct);
        try
        {
            Entry? kept;
            lock (_lock) _kept.TryGetValue(week.Key, out kept);
            // Reuse only a build that finished while this one waited, for the same stamp.
            if (Interlocked.Read(ref _builds) != seen && kept is not null && kept.Stamp == stamp) return kept;
            var entry = await BuildAsync(db, week, stamp, ct);
            Interlocked.Increment(ref _builds);
            return entry;
        }
        finally { _building.Release(); }
    }

    private async Task<Entry> BuildAsync(TandemDb db, IsoWeek week, Stamp stamp, CancellationToken ct)
    {
        var started = db.UtcNow;
        var document = await records.BuildAsync(db, week, ct);
        // The numbers are as fresh as Insight's snapshot, which may be older than the request while it rebuilds.
        var entry = new Entry(document, records.FactsAsOf < started ? records.FactsAsOf : started, stamp);
        Keep(week, entry);
        return entry;
    }

    /// <summary>Keeps <paramref name="entry"/> unless a newer build is kept already (a slower one started earlier must not replace
    /// it). The request answers with what it built itself either way, so its own note or action is on the page.</summary>
    private void Keep(IsoWeek week, Entry entry)
    {
        lock (_lock)
        {
            if (!_kept.TryGetValue(week.Key, out var kept) || kept.AsOf <= entry.AsOf) _kept[week.Key] = entry;
            while (_kept.Count > Kept) _kept.Remove(_kept.MinBy(e => e.Value.AsOf).Key);
        }
    }

    private void RefreshInBackground(IsoWeek week)
    {
        lock (_lock)
            if (!_refreshing.Add(week.Key)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
                await BuildOnceAsync(db, week, await StampAsync(db, CancellationToken.None), CancellationToken.None);
            }
            catch (Exception e)
            {
                // The page keeps the document it has (with its time); the next visit tries again.
                log.LogWarning(e, "Refreshing the live sync document of {Week} failed.", week.Key);
            }
            finally
            {
                lock (_lock) _refreshing.Remove(week.Key);
            }
        });
    }

    private static async Task<Stamp> StampAsync(TandemDb db, CancellationToken ct) => new(
        await db.FieldNotes.CountAsync(ct), await db.FieldNotes.MaxAsync(n => (int?)n.Id, ct),
        await db.ActionItems.CountAsync(ct), await db.ActionItems.SumAsync(a => (long)a.Version, ct),
        await db.Scorecards.Where(s => s.Status == ScorecardStatus.Active).MaxAsync(s => (int?)s.Number, ct),
        await db.RevenuePlans.CountAsync(p => p.Status == PlanStatus.Approved, ct),
        await db.RevenuePlans.MaxAsync(p => p.ApprovedAt, ct));
}
