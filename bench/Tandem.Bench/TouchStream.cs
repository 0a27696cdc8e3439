using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>The steady stream of touches a live server receives, run beside a measurement so its figures hold under ingestion.</summary>
internal static class TouchStream
{
    /// <summary>Touches for people already in the database, <paramref name="rate"/> a second in batches every 250 ms, each batch
    /// through <see cref="TouchIngestor"/> in its own context as a request would; returns how many were stored.</summary>
    public static async Task<int> RunAsync(Storage storage, int rate, CancellationToken stop)
    {
        List<string> emails;
        await using (var db = storage.Open())
            emails = await db.People.AsNoTracking().Where(p => p.Email != null).OrderBy(p => p.Id).Select(p => p.Email!).Take(10_000).ToListAsync(stop);
        var (run, sent, per) = (Guid.NewGuid().ToString("N")[..8], 0, Math.Max(1, rate / 4));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await tick.WaitForNextTickAsync(stop))
            {
                await using var db = storage.Open();
                var batch = Enumerable.Range(sent, per).Select(i => new TouchInput($"bench-{run}-{i}", emails[i % emails.Count], TouchType.WebVisit,
                    Tandem.Data.Channel.Organic, null, db.UtcNow)).ToList();
                var result = await new TouchIngestor(db).IngestAsync(batch);
                sent += per;
                if (result.Errors.Count > 0) throw new InvalidOperationException($"the touch stream was refused: {result.Errors[0]}");
            }
        }
        catch (OperationCanceledException) { }
        return sent;
    }
}
