using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Data;
using Tandem.Data.Feed;

namespace Tandem.Features.Insight;

/// <summary>
/// The one in-memory copy of the funnel's history for this process (decision 0042). Built once, on first use; then kept
/// current by following the change feed: each report reads the feed's head (one indexed row), and when it has moved the
/// changes are applied incrementally (<see cref="InsightUpdate"/>), cost proportional to the change. A report waits for an
/// incremental update for at most <see cref="WaitForUpdate"/>, never for a full rebuild: meanwhile it is answered from the
/// last consistent snapshot, and <see cref="AsOf"/> says how fresh that is. <see cref="InsightFollower"/> keeps following
/// between requests, so a busy ingestion stream does not leave the next report to do the work.
/// </summary>
public sealed class InsightStore(Personas personas, Storage? storage = null, TimeProvider? clock = null, ILogger<InsightStore>? log = null)
{
    /// <summary>How long a report waits at most for an incremental update in progress (they take milliseconds to a few hundred).</summary>
    public static readonly TimeSpan WaitForUpdate = TimeSpan.FromSeconds(10);
    private const long BigFacts = 1_000_000;

    private readonly SemaphoreSlim _gate = new(1, 1); // one build or update at a time
    private readonly Lock _start = new();
    private readonly ILogger _log = (ILogger?)log ?? NullLogger.Instance;
    private volatile InsightFacts? _facts;
    private Task? _running;
    private long _asOf;
    private volatile bool _rebuilding;

    public Personas Personas => personas;

    /// <summary>Every change committed before this instant is in the current snapshot (the <c>asOf</c> of every report).</summary>
    public DateTime AsOf => new(Interlocked.Read(ref _asOf), DateTimeKind.Utc);

    /// <summary>Full rebuilds and incremental updates done by this process (for tests and the benchmark).</summary>
    public int Rebuilds { get; private set; }
    public int Updates { get; private set; }

    /// <summary>The current snapshot. <paramref name="request"/> is the caller's context; with a read-only replica configured the
    /// history is read from the replica instead.</summary>
    public async Task<InsightFacts> GetAsync(TandemDb request, CancellationToken ct) => await GetAsync(request, complete: false, ct);

    /// <summary>A snapshot holding every change committed before this call, however long that takes: through a full rebuild
    /// too, where <see cref="GetAsync(TandemDb, CancellationToken)"/> answers from the last snapshot meanwhile. For what is
    /// written once and kept, such as a weekly record. Throws when the feed could not be followed, so nothing is written short.</summary>
    public async Task<InsightFacts> CompleteAsync(TandemDb request, CancellationToken ct) => await GetAsync(request, complete: true, ct);

    private async Task<InsightFacts> GetAsync(TandemDb request, bool complete, CancellationToken ct)
    {
        if (storage?.ReadOnlyConnectionString is null) return await GetOnAsync(request, complete, ct);
        await using var replica = storage.OpenForReading(clock ?? TimeProvider.System);
        return await GetOnAsync(replica, complete, ct);
    }

    /// <summary>The last snapshot without waiting for the feed (building it first if there is none yet), for dashboards that
    /// show <see cref="AsOf"/> and must answer at once while touches stream in (decision 0048). Following is started in the
    /// background, so the next visit is at most one update behind; reports and drill-downs keep using <see cref="GetAsync"/>.</summary>
    public async Task<InsightFacts> LatestAsync(TandemDb request, CancellationToken ct)
    {
        if (_facts is not { } facts || storage is null) return await GetAsync(request, ct);
        _ = Follow();
        return facts;
    }

    private async Task<InsightFacts> GetOnAsync(TandemDb db, bool complete, CancellationToken ct)
    {
        if (_facts is null)
        {
            await _gate.WaitAsync(ct);
            try
            {
                if (_facts is null) await BuildAsync(db, db.UtcNow, ct);
            }
            finally { _gate.Release(); }
            return _facts!;
        }
        var checkedAt = db.UtcNow;
        var head = await ChangeFeed.HeadAsync(db, ct);
        var facts = _facts;
        if (head <= facts.Position)
        {
            Advance(checkedAt);
            return facts;
        }
        // Wait for the update (a report then counts what was committed before it was asked), but not once it turns out to be
        // a full rebuild: that could take a minute at a million people, and the last snapshot answers meanwhile.
        var update = Follow();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var rounds = 0; ; rounds++)
        {
            bool GiveUp() => !complete && (_rebuilding || waited.Elapsed >= WaitForUpdate);
            while (!update.IsCompleted && !GiveUp())
            {
                ct.ThrowIfCancellationRequested(); // else a cancelled wait would spin until a rebuild ends
                await Task.WhenAny(update, Task.Delay(10, ct));
            }
            // A catch-up that was already running when this request asked may have read the feed's head before the commit
            // this request must count: then follow once more (a few times at most, and never past the wait).
            if (!update.IsCompleted || GiveUp() || _facts!.Position >= head || rounds >= 3) break;
            update = Follow();
        }
        if (complete && _facts!.Position < head) throw new InsightBehindException(head, _facts.Position);
        return _facts!;
    }

    /// <summary>Starts following the feed in the background unless that is already happening; the task ends when caught up.</summary>
    public Task Follow()
    {
        lock (_start)
        {
            if (_running is { IsCompleted: false } r) return r;
            return _running = Task.Run(() => CatchUpAsync(CancellationToken.None));
        }
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        if (storage is null || _facts is null) return;
        await _gate.WaitAsync(ct);
        try
        {
            await using var db = storage.OpenForReading(clock ?? TimeProvider.System);
            var checkedAt = db.UtcNow;
            var head = await ChangeFeed.HeadAsync(db, ct);
            var facts = _facts!;
            if (head <= facts.Position) { Advance(checkedAt); return; }
            var delta = await ChangeFeed.ReadAsync(db, facts.Position, head, ct);
            var next = await InsightUpdate.ApplyAsync(db, facts, delta, personas, ct);
            if (next is not null)
            {
                _facts = next;
                Updates++;
                Advance(checkedAt);
                return;
            }
            _rebuilding = true;
            try { await BuildAsync(db, checkedAt, ct); }
            finally { _rebuilding = false; }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The last snapshot stays in service; the next request or follower tick tries again.
            _log.LogWarning(e, "Insight could not follow the change feed; reports keep the snapshot as of {AsOf:u}", AsOf);
        }
        finally { _gate.Release(); }
    }

    /// <summary>A full load. The old snapshot serves reports until the new one replaces it.</summary>
    private async Task BuildAsync(TandemDb db, DateTime checkedAt, CancellationToken ct)
    {
        var fresh = await InsightLoader.LoadAsync(db, personas, ct);
        _facts = fresh;
        Rebuilds++;
        Advance(checkedAt);
        // A big rebuild leaves the old copy and the load's buffers behind: give that memory back to the system now
        // rather than whenever the GC next decides to (the server's resident size is a requirement).
        if (fresh.TouchCount + fresh.PeopleCount > BigFacts)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private void Advance(DateTime checkedAt)
    {
        long seen;
        do seen = Interlocked.Read(ref _asOf);
        while (checkedAt.Ticks > seen && Interlocked.CompareExchange(ref _asOf, checkedAt.Ticks, seen) != seen);
    }
}

/// <summary>Insight could not follow the change feed up to what was committed (see the log); what needs every change waits.</summary>
public sealed class InsightBehindException(long head, long position)
    : Exception($"Insight could not follow the change feed to {head} (it is at {position}); see the log and try again shortly.");
