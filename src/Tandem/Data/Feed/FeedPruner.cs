namespace Tandem.Data.Feed;

/// <summary>
/// Keeps the change feed to its retention (<see cref="ChangeFeed.PruneAsync"/>): a minute after start, then every hour.
/// Every instance runs it; deleting rows already deleted is harmless, so no claim is needed. Off with Feed:Prune=false.
/// </summary>
public sealed class FeedPruner(Storage storage, TimeProvider clock, IConfiguration config, ILogger<FeedPruner> log) : BackgroundService
{
    public static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Feed:Prune", true)) return;
        for (var wait = FirstRun; ; wait = Interval)
        {
            try { await Task.Delay(wait, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try
            {
                await using var db = storage.Open(clock);
                if (await ChangeFeed.PruneAsync(db, stoppingToken) is > 0 and var n) log.LogInformation("Change feed: {Count} entries older than {Days} days removed.", n, ChangeFeed.Retention.TotalDays);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // A failed pass loses nothing: the entries are still there for the next one.
                log.LogError(e, "Pruning the change feed failed; trying again in {Interval}.", Interval);
            }
        }
    }
}
