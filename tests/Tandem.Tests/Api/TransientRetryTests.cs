using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tandem.Data;

namespace Tandem.Tests.Api;

/// <summary>The retry loop alone: which errors it retries, how often, how long it waits (decision 0052).</summary>
public class TransientRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PostgresException Pg(string sqlState) => new("boom", "ERROR", "ERROR", sqlState);

    /// <summary>Runs the loop with recorded, instant waits; each try throws the next of <paramref name="failures"/>, then succeeds.</summary>
    private static async Task<(int Tries, List<TimeSpan> Waits, Exception? Error)> RunAsync(params Exception[] failures)
    {
        var (tries, waits) = (0, new List<TimeSpan>());
        try
        {
            await TransientRetry.RunAsync<int>((n, _) =>
            {
                tries = n;
                return n <= failures.Length ? throw failures[n - 1] : Task.FromResult(n);
            }, (wait, _) => { waits.Add(wait); return Task.CompletedTask; }, new Random(7), Ct);
            return (tries, waits, null);
        }
        catch (Exception e) { return (tries, waits, e); }
    }

    [Fact]
    public async Task Deadlocks_and_serialization_failures_are_tried_again_and_then_succeed()
    {
        var (tries, waits, error) = await RunAsync(Pg("40P01"), Pg("40001"), new DbUpdateException("save failed", Pg("40P01")));
        Assert.Null(error);
        Assert.Equal(4, tries);
        Assert.Equal(3, waits.Count);
    }

    [Fact]
    public async Task Five_tries_at_most_then_the_last_error_goes_to_the_caller()
    {
        var failures = Enumerable.Range(0, 10).Select(_ => (Exception)Pg("40P01")).ToArray();
        var (tries, waits, error) = await RunAsync(failures);
        Assert.Equal(TransientRetry.MaxTries, tries);
        Assert.Equal(TransientRetry.MaxTries - 1, waits.Count);
        Assert.Same(failures[TransientRetry.MaxTries - 1], error);
    }

    [Theory]
    [InlineData("23505")] // unique violation: trying again gives the same answer
    [InlineData("22001")] // value too long
    [InlineData("57014")] // query cancelled
    public async Task Other_database_errors_are_not_retried(string sqlState)
    {
        var (tries, waits, error) = await RunAsync(Pg(sqlState));
        Assert.Equal(1, tries);
        Assert.Empty(waits);
        Assert.Equal(sqlState, Assert.IsType<PostgresException>(error).SqlState);
    }

    [Fact]
    public async Task Errors_that_are_not_from_the_database_are_not_retried()
    {
        var (tries, _, error) = await RunAsync(new InvalidOperationException("a bug"));
        Assert.Equal(1, tries);
        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void Backoff_doubles_from_25_ms_is_jittered_to_between_half_and_all_and_is_capped_at_a_second()
    {
        var random = new Random(1);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var ceiling = Math.Min(1000, 25 * Math.Pow(2, attempt - 1));
            var waits = Enumerable.Range(0, 200).Select(_ => TransientRetry.Backoff(attempt, random).TotalMilliseconds).ToList();
            Assert.All(waits, w => Assert.InRange(w, ceiling / 2, ceiling));
            Assert.True(waits.Distinct().Count() > 100, "the waits are jittered");
        }
    }

    [Fact]
    public void Transient_errors_are_found_inside_wrapping_exceptions()
    {
        Assert.True(TransientRetry.IsTransient(new DbUpdateException("x", new InvalidOperationException("y", Pg("40001")))));
        Assert.False(TransientRetry.IsTransient(new DbUpdateException("x", Pg("23505"))));
        Assert.False(TransientRetry.IsTransient(null));
    }

    [Fact]
    public async Task A_real_postgresql_deadlock_is_run_again_and_both_writers_commit()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDb.PostgresEnv))) Assert.Skip("Needs PostgreSQL (set TANDEM_TEST_POSTGRES): SQLite has one writer at a time.");
        await using var testDb = await TestDb.CreateAsync("postgres");
        await using (var setup = testDb.Open())
        {
            setup.Accounts.AddRange(new Tandem.Features.Accounts.Account { Name = "A" }, new Tandem.Features.Accounts.Account { Name = "B" });
            await setup.SaveChangesAsync(Ct);
        }
        await using var reader = testDb.Open();
        var ids = await reader.Accounts.OrderBy(a => a.Name).Select(a => a.Id).ToListAsync(Ct);
        var tries = new int[2];
        var locked = new[] { new TaskCompletionSource(), new TaskCompletionSource() };

        // Writer 0 locks A then B, writer 1 locks B then A: on the first try each waits for the other, and PostgreSQL
        // aborts one of them with 40P01. The helper runs that one again; by then the other has committed.
        async Task Writer(int me)
        {
            await using var db = testDb.Open();
            await TransientRetry.InTransactionAsync(db, async token =>
            {
                var n = Interlocked.Increment(ref tries[me]);
                var (first, second) = me == 0 ? (ids[0], ids[1]) : (ids[1], ids[0]);
                await db.Database.ExecuteSqlAsync($"UPDATE accounts SET \"Industry\" = {"w" + me} WHERE \"Id\" = {first}", token);
                if (n == 1)
                {
                    locked[me].SetResult();
                    await locked[1 - me].Task.WaitAsync(token);
                }
                await db.Database.ExecuteSqlAsync($"UPDATE accounts SET \"Industry\" = {"w" + me} WHERE \"Id\" = {second}", token);
                return 0;
            }, Ct);
        }
        await Task.WhenAll(Writer(0), Writer(1));

        Assert.Equal(3, tries.Sum()); // one of them twice
        await using var check = testDb.Open();
        var industries = await check.Accounts.Select(a => a.Industry).Distinct().ToListAsync(Ct);
        Assert.Single(industries); // the retried writer wrote both rows last
    }
}
