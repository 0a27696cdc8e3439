using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Features.Nurture;

/// <summary>One click to record: the EmailClick touch and the send it marks as clicked.</summary>
public sealed record Click(long SendId, TouchInput Touch);

/// <summary>
/// Writes the clicks the redirect hands over, in batches, off the request (decision 0089). The redirect checks the signature and the
/// target, queues the click here and answers 302 at once; this writer ingests every click waiting (one <see cref="TouchIngestor"/>
/// batch: one transaction, one scoring pass, Lifecycle's MQL and routing as for any touch) and marks the sends clicked. A burst of
/// clicks costs one commit instead of two per click. On a normal stop the queue is drained first; a kill -9 loses only the clicks
/// of the last moments, whose people were already redirected (tracking, not the person's way to the page).
/// </summary>
public sealed class ClickWriter(IServiceScopeFactory scopes, ILogger<ClickWriter> log) : BackgroundService
{
    public const int MaxBatch = 500;
    private readonly Channel<Click> _queue = System.Threading.Channels.Channel.CreateUnbounded<Click>(new UnboundedChannelOptions { SingleReader = true });
    private long _queued, _written;
    private readonly SemaphoreSlim _progress = new(0);

    /// <summary>Hands a click over; never waits for the database.</summary>
    public void Enqueue(Click click)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(click)) Interlocked.Increment(ref _written); // stopping: the writer no longer takes clicks
    }

    /// <summary>Waits until every click queued before the call is written (tests; a graceful stop).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var target = Interlocked.Read(ref _queued);
        while (Interlocked.Read(ref _written) < target)
            await _progress.WaitAsync(TimeSpan.FromMilliseconds(50), ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Click>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
                await DrainAsync(batch, CancellationToken.None);
        }
        catch (OperationCanceledException) { }
        _queue.Writer.TryComplete();
        await DrainAsync(batch, CancellationToken.None); // what arrived before the stop is still written
    }

    private async Task DrainAsync(List<Click> batch, CancellationToken ct)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var c)) batch.Add(c);
            if (batch.Count == 0) return;
            try { await WriteAsync(batch, ct); }
            catch (Exception e) { log.LogError(e, "Nurture: {Count} click(s) could not be recorded.", batch.Count); }
            finally
            {
                Interlocked.Add(ref _written, batch.Count);
                _progress.Release();
            }
        }
    }

    private async Task WriteAsync(List<Click> batch, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        db.Actor = "nurture";
        // Touches are unique by event id, so a second click on the same link (in this batch or later) is the same touch.
        var touches = batch.Select(c => c.Touch).DistinctBy(t => t.EventId).ToList();
        await scope.ServiceProvider.GetRequiredService<TouchIngestor>().IngestAsync(touches, ct);
        var now = db.UtcNow;
        var ids = batch.Select(c => c.SendId).Distinct().ToList();
        await db.NurtureSends.Where(s => ids.Contains(s.Id) && s.ClickedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.ClickedAt, now), ct);
    }
}
