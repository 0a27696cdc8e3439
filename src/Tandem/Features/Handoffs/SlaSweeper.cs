using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Notifications;

namespace Tandem.Features.Handoffs;

/// <param name="Breaches">Deadlines newly recorded as breached.</param>
/// <param name="Notified">Breaches told to the rep.</param>
/// <param name="Escalated">Breaches told to the manager.</param>
/// <param name="OwnersTold">Known-opportunity owners told of a new lead on their deal.</param>
public sealed record SweepResult(int Breaches, int Notified, int Escalated, int OwnersTold);

/// <summary>
/// One pass over the stored deadlines. Each step claims its rows with a conditional update in the transaction that records
/// what it did (the breach rows; the webhook outbox rows of a notice), so a breach is recorded once (and told once) even with
/// several servers sweeping at the same moment or a restart halfway: (1) handoffs whose next deadline has passed
/// (an indexed query) get their breaches recorded; (2) new breaches are told to the rep; (3) breaches still unresolved after
/// <see cref="SlaOptions.EscalateAfter"/> go to the manager; (4) owners of known opportunities hear of leads attached to them.
/// </summary>
public sealed class SlaSweeper(IServiceScopeFactory scopes, Notifier notifier, SlaOptions options, ILogger<SlaSweeper> log)
{
    public async Task<SweepResult> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        db.Actor = "system";
        var breaches = await RecordBreachesAsync(db, options.BatchSize, ct);
        var notified = await NotifyRepsAsync(db, ct);
        var escalated = await EscalateAsync(db, ct);
        var told = await TellOwnersAsync(db, ct);
        return new SweepResult(breaches, notified, escalated, told);
    }

    /// <summary>Records the breaches of every handoff whose next deadline has passed. Public for the benchmark.</summary>
    public static async Task<int> RecordBreachesAsync(TandemDb db, int batchSize, CancellationToken ct)
    {
        var now = db.UtcNow;
        var recorded = 0;
        while (true)
        {
            var due = await db.Handoffs.AsNoTracking().Where(h => h.NextDeadline != null && h.NextDeadline <= now)
                .OrderBy(h => h.NextDeadline).ThenBy(h => h.Id).Take(batchSize).ToListAsync(ct);
            if (due.Count == 0) return recorded;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Claimed in id order: two servers' batches then lock their common rows in the same order and cannot deadlock.
            foreach (var h in due.OrderBy(h => h.Id))
            {
                var found = SlaClock.NewBreaches(h, now);
                foreach (var d in found) h.BreachedMask |= (int)d;
                var next = SlaClock.Next(h);
                var (mask, version) = (h.BreachedMask, h.Version);
                var claimed = await db.Handoffs.Where(x => x.Id == h.Id && x.Version == version).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.BreachedMask, mask).SetProperty(x => x.NextDeadline, next)
                    .SetProperty(x => x.Version, version + 1).SetProperty(x => x.UpdatedAt, now), ct);
                if (claimed == 0) continue; // changed meanwhile (an attempt, a decision, another sweeper): the next pass looks again
                db.SlaBreaches.AddRange(found.Select(d => new SlaBreach
                    { HandoffId = h.Id, Deadline = d, DueAt = SlaClock.Due(h, d), RecordedAt = now, AssigneeId = h.AssigneeId }));
                foreach (var d in found)
                    HandoffLog.Add(db, h.PersonId, "sla.breached", "system", new { handoffId = h.Id, deadline = d.ToString(), dueAt = SlaClock.Due(h, d), h.AssigneeId });
                recorded += found.Count;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            if (due.Count < batchSize) return recorded;
        }
    }

    private async Task<int> NotifyRepsAsync(TandemDb db, CancellationToken ct)
    {
        var now = db.UtcNow;
        var pending = await db.SlaBreaches.AsNoTracking().Where(b => b.NotifiedAt == null).OrderBy(b => b.Id).Take(options.BatchSize).ToListAsync(ct);
        var n = 0;
        foreach (var b in pending)
        {
            var told = await ClaimThenTellAsync(db, async () =>
            {
                if (await db.SlaBreaches.Where(x => x.Id == b.Id && x.NotifiedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.NotifiedAt, now), ct) != 1)
                    return (false, null);
                var (lead, rep) = await LeadAsync(db, b.HandoffId, ct);
                if (lead is null) return (true, null);
                var what = SlaClock.Describe(b.Deadline);
                return (true, new Notice("sla.breached", Data(lead, b), Emails(rep),
                    $"SLA breached: {what} for {lead.PersonName}",
                    $"The {what} deadline for {lead.PersonName} ({lead.Email}{At(lead.AccountName)}) passed at {b.DueAt:yyyy-MM-dd HH:mm} UTC.\n"
                    + $"Open the lead: /handoff/{lead.Id}\nAttempts so far: {lead.AttemptCount} of {lead.MinAttempts}."));
            }, ct);
            if (told) n++;
        }
        return n;
    }

    private async Task<int> EscalateAsync(TandemDb db, CancellationToken ct)
    {
        var now = db.UtcNow;
        var since = now - options.EscalateAfter;
        var pending = await db.SlaBreaches.AsNoTracking().Where(b => b.EscalatedAt == null && b.NotifiedAt != null && b.RecordedAt <= since)
            .OrderBy(b => b.Id).Take(options.BatchSize).ToListAsync(ct);
        var n = 0;
        foreach (var b in pending)
        {
            var told = await ClaimThenTellAsync(db, async () =>
            {
                if (await db.SlaBreaches.Where(x => x.Id == b.Id && x.EscalatedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EscalatedAt, now), ct) != 1)
                    return (false, null);
                var (lead, rep) = await LeadAsync(db, b.HandoffId, ct);
                // Resolved meanwhile (decided, or this deadline met late): nothing to escalate; EscalatedTo stays empty to say so.
                var handoff = await db.Handoffs.AsNoTracking().FirstOrDefaultAsync(h => h.Id == b.HandoffId, ct);
                var unresolved = lead is { State: HandoffState.Open } && handoff is not null && SlaClock.MetAt(handoff, b.Deadline) is null;
                var manager = unresolved ? await ManagerAsync(db, rep, lead!.TeamId, ct) : null;
                if (lead is null || manager is null) return (true, null);
                var to = manager.Id;
                await db.SlaBreaches.Where(x => x.Id == b.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EscalatedTo, to), ct);
                var what = SlaClock.Describe(b.Deadline);
                return (true, new Notice("sla.escalated", Data(lead, b), Emails(manager),
                    $"Escalated: {lead.AssigneeName ?? "nobody"} missed {what} for {lead.PersonName}",
                    $"{lead.AssigneeName ?? "Nobody"} has not met the {what} deadline for {lead.PersonName} ({lead.Email}{At(lead.AccountName)}), "
                    + $"due {b.DueAt:yyyy-MM-dd HH:mm} UTC and still open.\nOpen the lead: /handoff/{lead.Id}"));
            }, ct);
            if (told) n++;
        }
        return n;
    }

    private async Task<int> TellOwnersAsync(TandemDb db, CancellationToken ct)
    {
        var now = db.UtcNow;
        var pending = await db.Handoffs.AsNoTracking().Where(h => h.KnownOpportunity && h.OwnerToldAt == null).OrderBy(h => h.Id)
            .Take(options.BatchSize).Select(h => new { h.Id, h.OpportunityId }).ToListAsync(ct);
        var n = 0;
        foreach (var p in pending)
        {
            var told = await ClaimThenTellAsync(db, async () =>
            {
                if (await db.Handoffs.Where(x => x.Id == p.Id && x.OwnerToldAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.OwnerToldAt, now), ct) != 1)
                    return (false, null);
                var (lead, _) = await LeadAsync(db, p.Id, ct);
                var opp = await db.Opportunities.AsNoTracking().Where(o => o.Id == p.OpportunityId).Select(o => new { o.Id, o.Name, o.OwnerId }).FirstOrDefaultAsync(ct);
                if (lead is null || opp is null) return (true, null);
                var owner = opp.OwnerId is { } oid ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == oid, ct) : null;
                return (true, new Notice("lead.attached", new { handoffId = lead.Id, lead.PersonId, opportunityId = opp.Id, lead.PersonName, lead.Email },
                    Emails(owner), $"New lead on {opp.Name}: {lead.PersonName}",
                    $"{lead.PersonName} ({lead.Email}) just qualified as a marketing lead and is attached to your open opportunity {opp.Name}. "
                    + $"Marketing is credited with influence on it.\nOpen the lead: /handoff/{lead.Id}"));
            }, ct);
            if (told) n++;
        }
        return n;
    }

    /// <summary>
    /// One unit of telling, safe with any number of servers: <paramref name="claim"/> runs in a transaction and makes its
    /// conditional update; only when that changed the row are the notice's webhook rows queued, and the claim and the outbox
    /// rows commit together (a pass that dies before the commit leaves the row unclaimed for the next pass; two passes never
    /// both tell). The email row commits with them and is sent after the commit, retried until the server takes it
    /// (decision 0044). True when a notice was sent.
    /// </summary>
    private async Task<bool> ClaimThenTellAsync(TandemDb db, Func<Task<(bool Claimed, Notice? Notice)>> claim, CancellationToken ct)
    {
        Notice? notice;
        Queued queued = new(0, null);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            (var claimed, notice) = await claim();
            if (!claimed) return false; // another pass has it; disposing the transaction ends it
            if (notice is not null) queued = await notifier.QueueAsync(db, notice, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        if (notice is null) return false;
        var result = await notifier.EmailAsync(notice, queued, ct);
        if (notice.EmailTo.Count > 0 && !result.Emailed) log.LogWarning("{Event}: email not sent ({Reason})", notice.EventType, result.EmailError);
        return true;
    }

    private static async Task<(HandoffDto? Lead, Users.User? Rep)> LeadAsync(TandemDb db, int handoffId, CancellationToken ct)
    {
        var h = await db.Handoffs.AsNoTracking().FirstOrDefaultAsync(x => x.Id == handoffId, ct);
        if (h is null) return (null, null);
        var dto = (await HandoffQueries.DtosAsync(db, [h], ct))[0];
        var rep = h.AssigneeId is { } id ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) : null;
        return (dto, rep);
    }

    /// <summary>The rep's manager, else the team's sales manager, else the first admin.</summary>
    private static async Task<Users.User?> ManagerAsync(TandemDb db, Users.User? rep, int? teamId, CancellationToken ct)
    {
        if (rep?.ManagerId is { } m && await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == m && u.IsActive, ct) is { } manager) return manager;
        var team = rep?.TeamId ?? teamId;
        return await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != (rep == null ? 0 : rep.Id)
                && ((u.Role == Role.SalesManager && u.TeamId == team) || u.Role == Role.Admin))
            .OrderBy(u => u.Role == Role.SalesManager ? 0 : 1).ThenBy(u => u.Id).FirstOrDefaultAsync(ct);
    }

    private static object Data(HandoffDto lead, SlaBreach b) => new
    {
        handoffId = lead.Id, lead.PersonId, lead.PersonName, lead.Email, lead.AssigneeId, deadline = b.Deadline.ToString(), dueAt = b.DueAt,
    };

    private static IReadOnlyList<string> Emails(Users.User? u) => u is { IsActive: true } && Recipients.IsAddress(u.Email) ? [u.Email] : [];

    private static string At(string? account) => account is null ? "" : $", {account}";
}

/// <summary>The background loop: a pass at start (deadlines passed while the server was down), then one per poll interval.</summary>
public sealed class SlaSweeperService(SlaSweeper sweeper, SlaOptions options, TimeProvider clock, ILogger<SlaSweeperService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var r = await sweeper.RunOnceAsync(stoppingToken);
                if (r.Breaches + r.Escalated > 0) log.LogInformation("SLA sweep: {Breaches} breaches, {Escalated} escalations.", r.Breaches, r.Escalated);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // A database hiccup must not end the loop: the deadlines are stored and the next pass finds them.
                log.LogError(e, "SLA sweep failed; trying again in {Interval}.", options.PollInterval);
            }
            try { await Task.Delay(options.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
