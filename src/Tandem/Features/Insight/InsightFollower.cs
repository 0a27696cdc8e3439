namespace Tandem.Features.Insight;

/// <summary>
/// Keeps this process's <see cref="InsightStore"/> following the change feed between requests: every quarter second, once
/// the history has been built (a process that never serves a report never loads it). Each instance follows on its own;
/// the feed is read-only for them, so any number may run.
/// </summary>
public sealed class InsightFollower(InsightStore store, IConfiguration config) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Insight:Follow", true)) return;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await store.Follow();
    }
}
