using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Plan;

namespace Tandem.Features.Cadence;

/// <summary>Builds, stores and reads weekly records. The first revision of a week is written once; later ones only with a reason.</summary>
public sealed class SyncRecords(InsightStore store, IOptions<PlanOptions> plan, IOptions<CadenceOptions> options, CompanyOptions company)
{
    public CadenceOptions Options => options.Value;
    public NodaTime.DateTimeZone Zone => plan.Value.Zone();

    /// <summary>Every change committed before this instant is in Insight's current snapshot.</summary>
    public DateTime FactsAsOf => store.AsOf;

    /// <summary>The week that holds "now" in the company zone.</summary>
    public IsoWeek ThisWeek(TandemDb db) => IsoWeek.Of(Periods.Today(db.UtcNow, Zone));

    /// <summary>The week's document as the data stands now (the live view of a week not yet written).</summary>
    public Task<SyncDocument> BuildAsync(TandemDb db, IsoWeek week, CancellationToken ct) => BuildAsync(db, week, complete: false, ct);

    /// <param name="complete">For a record to write: wait for Insight to hold every fact committed before now, through a full
    /// rebuild if one is under way (a record is never edited, so it must not be written from an older snapshot).</param>
    private async Task<SyncDocument> BuildAsync(TandemDb db, IsoWeek week, bool complete, CancellationToken ct)
    {
        var facts = complete ? await store.CompleteAsync(db, ct) : await store.GetAsync(db, ct);
        var inputs = await SyncGatherer.GatherAsync(db, facts, week, Zone, company.Code, options.Value, ct);
        return SyncBuilder.Build(inputs);
    }

    public static Task<SyncRecord?> LatestAsync(TandemDb db, string week, CancellationToken ct) =>
        db.SyncRecords.AsNoTracking().Where(r => r.Week == week).OrderByDescending(r => r.Revision).FirstOrDefaultAsync(ct);

    /// <summary>Writes revision 1 of <paramref name="week"/> unless it exists. Returns the new row, or null when the week already had
    /// one (written earlier, or a moment ago by another instance: the unique index refuses the second).</summary>
    public async Task<SyncRecord?> WriteFirstAsync(TandemDb db, IsoWeek week, Func<TandemDb, SyncRecord, SyncDocument, Task>? sameTransaction,
        CancellationToken ct)
    {
        if (await db.SyncRecords.AnyAsync(r => r.Week == week.Key, ct)) return null;
        var doc = await BuildAsync(db, week, complete: true, ct);
        var json = SyncBuilder.Serialize(doc);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = new SyncRecord { Week = week.Key, Revision = 1, Document = json, Sha256 = SyncBuilder.Hash(json), CreatedAt = db.UtcNow, CreatedBy = db.Actor };
        db.SyncRecords.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return null; // another instance wrote it first
        }
        if (sameTransaction is not null)
        {
            await sameTransaction(db, row, doc);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return row;
    }

    /// <summary>A correction: the week rebuilt from today's data as a new revision with <paramref name="reason"/>; earlier
    /// revisions stay as they were.</summary>
    public async Task<SyncRecord> ReviseAsync(TandemDb db, IsoWeek week, string reason, CancellationToken ct)
    {
        var doc = await BuildAsync(db, week, complete: true, ct);
        var json = SyncBuilder.Serialize(doc);
        var last = await db.SyncRecords.Where(r => r.Week == week.Key).MaxAsync(r => (int?)r.Revision, ct) ?? 0;
        var row = new SyncRecord
        {
            Week = week.Key, Revision = last + 1, Document = json, Sha256 = SyncBuilder.Hash(json), Reason = reason, CreatedAt = db.UtcNow, CreatedBy = db.Actor,
        };
        db.SyncRecords.Add(row);
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>The week whose record is due at <paramref name="utcNow"/>: the ISO week before, once the configured day and time
    /// of the current week have passed in the company zone; otherwise the week before that.</summary>
    public static IsoWeek DueWeek(DateTime utcNow, NodaTime.DateTimeZone zone, CadenceOptions o)
    {
        var local = NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
        var today = DateOnly.FromDateTime(local.ToDateTimeUnspecified());
        var current = IsoWeek.Of(today);
        var dueAt = current.Monday.AddDays(((int)o.WriteDay + 6) % 7).ToDateTime(o.Time());
        return local.ToDateTimeUnspecified() >= dueAt ? current.Previous() : current.Previous().Previous();
    }
}
