using System.Collections.Concurrent;

namespace Tandem.Features.Plan;

/// <summary>
/// What the Revenue page reuses between visits, per instance. The backtest replays every week of eight past quarters,
/// seconds of work whose answer changes only as quarters close: kept an hour per currency. The forecast loads every deal
/// and runs 10,000 simulations, and a snapshot's report reads every deal of the quarter: kept a minute, so the page under live ingestion costs its pacing,
/// which stays live. A failed computation is not kept.
/// </summary>
public sealed class PlanCache(TimeProvider clock)
{
    public static readonly TimeSpan BacktestLife = TimeSpan.FromHours(1);
    public static readonly TimeSpan ForecastLife = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<object> Result)> _entries = new(StringComparer.Ordinal);

    public async Task<BacktestResult> BacktestAsync(string currency, Func<Task<BacktestResult>> run) =>
        (BacktestResult)await GetAsync("backtest/" + currency, BacktestLife, async () => await run());

    /// <summary>A snapshot's report reads every committed deal and every deal of the quarter: kept a minute, like the forecast.</summary>
    public async Task<SnapshotReport?> SnapshotAsync(int id, Func<Task<SnapshotReport?>> run) =>
        await GetAsync("snapshot/" + id, ForecastLife, async () => (object?)await run() ?? Missing) as SnapshotReport;

    private static readonly object Missing = new();

    public async Task<ForecastReport> ForecastAsync(string key, Func<Task<ForecastReport>> run) =>
        (ForecastReport)await GetAsync("forecast/" + key, ForecastLife, async () => await run());

    private Task<object> GetAsync(string key, TimeSpan life, Func<Task<object>> run)
    {
        var now = clock.GetUtcNow();
        return _entries.AddOrUpdate(key, _ => (now, run()),
            (_, old) => now - old.At < life && !old.Result.IsFaulted && !old.Result.IsCanceled ? old : (now, run())).Result;
    }
}
