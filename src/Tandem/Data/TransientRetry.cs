using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Tandem.Data;

/// <summary>
/// Runs a multi-row write again, in a fresh transaction, when PostgreSQL aborted it as a deadlock victim (40P01) or a
/// serialization failure (40001): both mean "nothing of this transaction happened; try again" (decision 0052). At most
/// <see cref="MaxTries"/> tries with jittered exponential backoff; any other error, or the last try's, goes to the caller.
/// SQLite raises neither (one writer at a time), so there the write runs once.
/// </summary>
public static class TransientRetry
{
    public const int MaxTries = 5;
    public const string Deadlock = "40P01";
    public const string SerializationFailure = "40001";

    /// <summary>Whether <paramref name="e"/>, or an exception it wraps (EF wraps the provider's), is one of the two.</summary>
    public static bool IsTransient(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is DbException { SqlState: Deadlock or SerializationFailure }) return true;
        return false;
    }

    /// <summary>The wait after failed try number <paramref name="attempt"/> (1-based): 25 ms doubling, capped at 1 s, then
    /// jittered to between half and all of that, so writers that collided do not collide again in step.</summary>
    public static TimeSpan Backoff(int attempt, Random random)
    {
        var ceiling = Math.Min(1000, 25 * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + random.NextDouble() / 2));
    }

    /// <summary>The retry loop itself, without a database: <paramref name="attempt"/> gets the try number (1-based).</summary>
    public static async Task<T> RunAsync<T>(Func<int, CancellationToken, Task<T>> attempt, Func<TimeSpan, CancellationToken, Task> delay,
        Random random, CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt(n, ct);
            }
            catch (Exception e) when (n < MaxTries && IsTransient(e) && !ct.IsCancellationRequested)
            {
                // fall through to the backoff and the next try
            }
            await delay(Backoff(n, random), ct);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own and commits it, trying again on a deadlock or serialization
    /// failure with the change tracker cleared (the rolled-back rows' entities are gone). Inside a caller's transaction it
    /// runs once, as part of it: only the owner of a transaction can start it again.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(TandemDb db, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await work(ct);
        return await RunAsync(async (n, token) =>
        {
            if (n > 1) db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(token);
            var result = await work(token);
            await tx.CommitAsync(token);
            return result;
        }, (wait, token) => Task.Delay(wait, token), Random.Shared, ct);
    }
}
