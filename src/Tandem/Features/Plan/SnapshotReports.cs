using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Plan;

public sealed record SnapshotDealDto(int OpportunityId, string Name, string Owner, string Stage, decimal Amount, string Currency,
    DateTime? ExpectedCloseAt, DealFate Fate, bool InSnapshot);

public sealed record RepAccountability(int? OwnerId, string Owner, int Committed, int Won, int Lost, int Pushed, int Open, int WonNotCommitted,
    bool Flagged, string Why);

/// <summary>The quarter's pipeline flow in one currency: start + added − won − lost − pushed − removed = open now.</summary>
public sealed record PipelineFlow(string Currency, int Start, int Added, int Won, int Lost, int Pushed, int Removed, int OpenNow,
    decimal StartAmount, decimal AddedAmount, decimal WonAmount, decimal LostAmount, decimal PushedAmount, decimal OpenAmount);

public sealed record SnapshotSummary(int Id, string Period, SnapshotKind Kind, DateTime TakenAt, string TakenBy, int Deals, string? Note);

public sealed record SnapshotReport(SnapshotSummary Snapshot, bool QuarterOver, IReadOnlyList<RepAccountability> Reps, IReadOnlyList<PipelineFlow> Flow,
    IReadOnlyList<SnapshotDealDto> Deals);

/// <summary>What became of a snapshot's deals, rep by rep, with the flow and the flags (the API, the CLI and the Revenue page).</summary>
public static class SnapshotReports
{
    public static async Task<List<SnapshotSummary>> ListAsync(TandemDb db, CancellationToken ct)
    {
        var counts = await db.SnapshotDeals.GroupBy(d => d.SnapshotId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        return (await db.PipelineSnapshots.AsNoTracking().OrderByDescending(s => s.TakenAt).ToListAsync(ct))
            .Select(s => new SnapshotSummary(s.Id, s.Period, s.Kind, s.TakenAt, s.TakenBy, counts.GetValueOrDefault(s.Id), s.Note)).ToList();
    }

    public static async Task<SnapshotReport?> RunAsync(TandemDb db, int snapshotId, PlanOptions options, CancellationToken ct)
    {
        var s = await db.PipelineSnapshots.AsNoTracking().FirstOrDefaultAsync(x => x.Id == snapshotId, ct);
        if (s is null) return null;
        var zone = options.Zone();
        var quarter = Period.Parse(s.Period)!;
        var (start, end) = (Periods.Utc(quarter.Start, zone), Periods.Utc(quarter.End, zone));
        var now = db.UtcNow;
        var committed = await db.SnapshotDeals.AsNoTracking().Where(d => d.SnapshotId == s.Id).ToListAsync(ct);
        var ids = committed.Select(d => d.OpportunityId).ToList();
        var current = await db.Opportunities.AsNoTracking().Where(o => ids.Contains(o.Id))
            .Select(o => new { o.Id, o.Outcome, o.ClosedAt, o.ExpectedCloseAt, o.OwnerId, o.Name, o.SalesStage, o.AmountMinor, o.Currency })
            .ToDictionaryAsync(o => o.Id, ct);
        // Deals not committed at the snapshot that belong to the quarter now: closed in it, or open and expected in it.
        // Open ones count only in a committed stage, as the snapshot's do.
        var stages = options.CommittedStages ?? [];
        var anyStage = stages.Length == 0;
        var added = await db.Opportunities.AsNoTracking()
            .Where(o => !ids.Contains(o.Id) && (o.Outcome != Outcome.Open ? o.ClosedAt >= start && o.ClosedAt < end && o.ClosedAt >= s.TakenAt
                : o.ExpectedCloseAt >= start && o.ExpectedCloseAt < end && (anyStage || stages.Contains(o.SalesStage))))
            .Select(o => new { o.Id, o.Outcome, o.ClosedAt, o.ExpectedCloseAt, o.OwnerId, o.Name, o.SalesStage, o.AmountMinor, o.Currency })
            .ToListAsync(ct);
        var owners = committed.Select(d => d.OwnerId).Concat(added.Select(a => a.OwnerId)).OfType<int>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        string Owner(int? id) => id is { } i ? names.GetValueOrDefault(i) ?? $"user {i}" : "no owner";

        var deals = new List<SnapshotDealDto>();
        foreach (var d in committed)
        {
            var o = current.GetValueOrDefault(d.OpportunityId);
            var fate = Accountability.Fate(o?.Outcome, o?.ClosedAt, o?.ExpectedCloseAt, end, now);
            deals.Add(new SnapshotDealDto(d.OpportunityId, d.Name, Owner(d.OwnerId), d.Stage, Money.ToMajor(d.AmountMinor), d.Currency, d.ExpectedCloseAt, fate, true));
        }
        foreach (var o in added)
            deals.Add(new SnapshotDealDto(o.Id, o.Name, Owner(o.OwnerId), o.SalesStage, Money.ToMajor(o.AmountMinor), o.Currency, o.ExpectedCloseAt,
                Accountability.Fate(o.Outcome, o.ClosedAt, o.ExpectedCloseAt, end, now), false));

        var flags = await FlagsAsync(db, options, ct);
        var reps = deals.GroupBy(d => d.Owner).Select(g =>
        {
            var mine = g.Where(d => d.InSnapshot).ToList();
            var ownerId = committed.FirstOrDefault(c => Owner(c.OwnerId) == g.Key)?.OwnerId ?? added.FirstOrDefault(a => Owner(a.OwnerId) == g.Key)?.OwnerId;
            var flag = ownerId is { } id ? flags.GetValueOrDefault(id) : null;
            return new RepAccountability(ownerId, g.Key, mine.Count, mine.Count(d => d.Fate == DealFate.Won), mine.Count(d => d.Fate == DealFate.Lost),
                mine.Count(d => d.Fate == DealFate.Pushed), mine.Count(d => d.Fate == DealFate.Open),
                g.Count(d => !d.InSnapshot && d.Fate == DealFate.Won), flag?.Flagged ?? false, flag?.Why ?? "No automatic snapshots of this rep yet.");
        }).OrderByDescending(r => r.Flagged).ThenByDescending(r => r.Committed).ThenBy(r => r.Owner).ToList();

        var flow = deals.GroupBy(d => d.Currency).OrderBy(g => g.Key).Select(g =>
        {
            decimal Sum(Func<SnapshotDealDto, bool> p) => g.Where(p).Sum(d => d.Amount);
            return new PipelineFlow(g.Key, g.Count(d => d.InSnapshot), g.Count(d => !d.InSnapshot), g.Count(d => d.Fate == DealFate.Won),
                g.Count(d => d.Fate == DealFate.Lost), g.Count(d => d.Fate == DealFate.Pushed), g.Count(d => d.Fate == DealFate.Removed),
                g.Count(d => d.Fate == DealFate.Open), Sum(d => d.InSnapshot), Sum(d => !d.InSnapshot), Sum(d => d.Fate == DealFate.Won),
                Sum(d => d.Fate == DealFate.Lost), Sum(d => d.Fate == DealFate.Pushed), Sum(d => d.Fate == DealFate.Open));
        }).ToList();
        return new SnapshotReport(new SnapshotSummary(s.Id, s.Period, s.Kind, s.TakenAt, s.TakenBy, committed.Count, s.Note), now >= end, reps, flow,
            [.. deals.OrderBy(d => d.Owner).ThenBy(d => d.Name)]);
    }

    /// <summary>Each rep's flag over every automatic snapshot (<see cref="Accountability.Flag"/>).</summary>
    public static async Task<Dictionary<int, RepFlag>> FlagsAsync(TandemDb db, PlanOptions options, CancellationToken ct)
    {
        var zone = options.Zone();
        var snaps = await db.PipelineSnapshots.AsNoTracking().Where(s => s.Kind == SnapshotKind.Auto).ToListAsync(ct);
        var ids = snaps.Select(s => s.Id).ToList();
        var rows = await db.SnapshotDeals.AsNoTracking().Where(d => ids.Contains(d.SnapshotId) && d.OwnerId != null)
            .Select(d => new { d.SnapshotId, d.OwnerId, d.OpportunityId }).ToListAsync(ct);
        var oppIds = rows.Select(r => r.OpportunityId).Distinct().ToList();
        var opps = await db.Opportunities.AsNoTracking().Where(o => oppIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Outcome, o.ClosedAt, o.ExpectedCloseAt }).ToDictionaryAsync(o => o.Id, ct);
        var now = db.UtcNow;
        var result = new Dictionary<int, RepFlag>();
        foreach (var rep in rows.GroupBy(r => r.OwnerId!.Value))
        {
            var quarters = snaps.OrderBy(s => s.Period).Select(s =>
            {
                var p = Period.Parse(s.Period)!;
                var end = Periods.Utc(p.End, zone);
                var mine = rep.Where(r => r.SnapshotId == s.Id).Select(r => r.OpportunityId).ToHashSet();
                var pushed = mine.Where(id => opps.GetValueOrDefault(id) is var o
                    && Accountability.Fate(o?.Outcome, o?.ClosedAt, o?.ExpectedCloseAt, end, now) == DealFate.Pushed).ToHashSet();
                return new RepQuarter(s.Period, mine.Count, pushed.Count, mine, pushed, now >= end);
            }).ToList();
            result[rep.Key] = Accountability.Flag(quarters);
        }
        return result;
    }
}
