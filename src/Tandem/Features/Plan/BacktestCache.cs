using System.Collections.Concurrent;

namespace Tandem.Features.Plan;

/// <summary>
/// The backtest replays every week of eight past quarters, seconds of work whose answer changes only as quarters close; the
/// Revenue page reuses one per currency for an hour rather than paying for it on every visit. Per instance; a stale hour is
/// harmless because the past does not move.
/// </summary>
public sealed class BacktestCache(TimeProvider clock)
{
    public static readonly TimeSpan Life = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<BacktestResult> Result)> _byCurrency = new(StringComparer.Ordinal);

    public Task<BacktestResult> GetAsync(string currency, Func<Task<BacktestResult>> run)
    {
        var now = clock.GetUtcNow();
        var entry = _byCurrency.AddOrUpdate(currency, _ => (now, run()),
            (_, old) => now - old.At < Life && !old.Result.IsFaulted ? old : (now, run()));
        return entry.Result;
    }
}
