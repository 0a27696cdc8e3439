using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Activity;

namespace Tandem.Features.Demo;

public sealed record DemoOptions(int People = DemoOptions.DefaultPeople, int Seed = DemoOptions.DefaultSeed)
{
    public const int DefaultPeople = 20_000;
    public const int DefaultSeed = 20_240_601;
}

/// <summary>How far the load is, in people written.</summary>
public readonly record struct DemoProgress(int Done, int Total);

/// <summary>
/// Fills an empty database with a deterministic two-year history of a B2B company ending at the clock's "now".
/// The small cast (teams, users, campaigns) goes through EF with per-row audit off; the bulk goes in slices of people,
/// one transaction each, through prepared raw inserts (<see cref="DemoWriter"/>). The next slice is generated while the current one is written.
/// </summary>
public static class DemoGenerator
{
    private const int Slice = 5_000;

    public static async Task<bool> IsEmptyAsync(TandemDb db, CancellationToken ct) =>
        !await db.People.AnyAsync(ct) && !await db.Accounts.AnyAsync(ct) && !await db.Users.AnyAsync(ct)
        && !await db.Campaigns.AnyAsync(ct) && !await db.Opportunities.AnyAsync(ct) && !await db.Touches.AnyAsync(ct);

    public static async Task<DemoCounts> RunAsync(TandemDb db, DemoOptions options, IProgress<DemoProgress>? progress = null,
        CancellationToken ct = default)
    {
        if (options.People < 1) throw new ArgumentOutOfRangeException(nameof(options), "The demo needs at least one person.");
        if (!await IsEmptyAsync(db, ct))
            throw new InvalidOperationException("The database already holds data; demo data is only loaded into an empty database.");
        var now = db.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var co = DemoCompany.Create(options.People, options.Seed, now);
        var (audit, detect) = (db.AuditChanges, db.ChangeTracker.AutoDetectChangesEnabled);
        db.AuditChanges = false;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var definitionId = 0;
        try
        {
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                db.Teams.AddRange(co.Teams);
                // Managers come before their reports, so each save only points at rows already stored.
                foreach (var level in co.Users.GroupBy(u => u.ManagerId is null ? 0 : co.Users[u.ManagerId.Value - 1].ManagerId is null ? 1 : 2))
                {
                    db.Users.AddRange(level);
                    await SaveAsync(db, ct);
                }
                db.Campaigns.AddRange(co.Campaigns);
                await SaveAsync(db, ct);
                definitionId = await DemoDefinition.AddAsync(db, co, ct);
                db.TerritoryRules.AddRange(DemoHandoffs.Territories(co));
                await SaveAsync(db, ct);
                await DemoWriter.AccountsAsync(db, co.Accounts, now, ct);
                await tx.CommitAsync(ct);
            }
            if (db.IsSqlite) await CacheAsync(db, big: true, ct);
            var counts = new DemoCounts(co.Users.Count, co.Teams.Count, co.Accounts.Count, co.Campaigns.Count, 0, 0, 0, 0, 0);
            var people = new DemoPeople(co, options.Seed, new DemoEngine(), definitionId);
            var next = Task.Run(() => people.Generate(0, Math.Min(Slice, options.People)), ct);
            for (var from = 0; from < options.People; from += Slice)
            {
                var chunk = await next;
                var after = from + Slice;
                if (after < options.People) next = Task.Run(() => people.Generate(after, Math.Min(Slice, options.People - after)), ct);
                await using (var tx = await db.Database.BeginTransactionAsync(ct))
                {
                    await DemoWriter.ChunkAsync(db, chunk, now, ct);
                    await tx.CommitAsync(ct);
                }
                counts = counts.Add(chunk);
                progress?.Report(new DemoProgress(Math.Min(after, options.People), options.People));
            }
            db.RoutingSeats.AddRange(people.Handoffs.Seats());
            await SaveAsync(db, ct);
            if (!db.IsSqlite) await ResetSequencesAsync(db, ct);
            await DemoPlan.AddAsync(db, co, ct);
            await DemoLearning.AddAsync(db, ct);
            await DemoCadence.AddAsync(db, co, options.Seed, ct);
            await DemoNurture.AddAsync(db, ct);
            db.Activity.Add(new ActivityEntry
            {
                At = now, Actor = db.Actor, SubjectKind = SubjectKind.Import, SubjectId = 0, Kind = "demo.generated",
                Detail = JsonSerializer.Serialize(new { options.People, options.Seed, counts }, JsonSerializerOptions.Web),
            });
            await SaveAsync(db, ct);
            return counts;
        }
        finally
        {
            if (db.IsSqlite) await CacheAsync(db, big: false, CancellationToken.None);
            (db.AuditChanges, db.ChangeTracker.AutoDetectChangesEnabled) = (audit, detect);
        }
    }

    /// <summary>
    /// SQLite's default page cache (2 MB) is far smaller than the touch indexes of a large demo, so random index inserts
    /// keep going back to disk; 256 MB for the load made 100,000 people 20 % faster. The pooled connection gets its
    /// default back afterwards.
    /// </summary>
    private static async Task CacheAsync(TandemDb db, bool big, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(big ? "PRAGMA cache_size=-262144" : "PRAGMA cache_size=-2000", ct);
    }

    private static async Task SaveAsync(TandemDb db, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>Ids were handed out by the demo; PostgreSQL's identity sequences must continue after them.</summary>
    private static async Task ResetSequencesAsync(TandemDb db, CancellationToken ct)
    {
        var sql = string.Concat(new[] { "teams", "users", "accounts", "campaigns", "people", "stage_changes", "opportunities", "opportunity_stage_changes",
                "territory_rules", "handoffs", "handoff_attempts", "sla_breaches" }
            .Select(t => $"""SELECT setval(pg_get_serial_sequence('{t}', 'Id'), GREATEST(1, (SELECT COALESCE(MAX("Id"), 0) FROM {t})));"""));
        // The table names are constants above, not input.
#pragma warning disable EF1002
        await db.Database.ExecuteSqlRawAsync(sql, ct);
#pragma warning restore EF1002
    }
}
