using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Tests.Demo;

/// <summary>Loads demo data into a fresh database at a fixed "now" and reads back what tests compare.</summary>
internal static class DemoFixture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static async Task<(TestDb Db, DemoCounts Counts)> LoadAsync(string provider, int people, int seed = DemoOptions.DefaultSeed)
    {
        var clock = new FakeTimeProvider(Now);
        var db = await TestDb.CreateAsync(provider, clock);
        await using var ctx = db.Open(clock);
        var counts = await DemoGenerator.RunAsync(ctx, new DemoOptions(people, seed), ct: TestContext.Current.CancellationToken);
        return (db, counts);
    }

    /// <summary>Of the people who ever reached <paramref name="from"/>, the share who ever reached <paramref name="to"/>.</summary>
    public static double Rate(ILookup<int, LifecycleStage> reached, LifecycleStage from, LifecycleStage to, Func<int, bool>? where = null)
    {
        var cohort = reached.Where(g => g.Contains(from) && (where?.Invoke(g.Key) ?? true)).ToList();
        return cohort.Count == 0 ? 0 : (double)cohort.Count(g => g.Contains(to)) / cohort.Count;
    }

    public static async Task<ILookup<int, LifecycleStage>> ReachedAsync(TandemDb db) =>
        (await db.StageChanges.AsNoTracking().Select(s => new { s.PersonId, s.To }).ToListAsync(TestContext.Current.CancellationToken))
        .ToLookup(s => s.PersonId, s => s.To);
}
