using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Notifications;
using Tandem.Features.Plan;

namespace Tandem.Features.Cadence;

/// <summary>What one pass did.</summary>
public sealed record CadencePass(string? Written, int EmailsQueued, int Reminders);

/// <summary>
/// The scheduled work of the cadence, safe on any number of instances: writes the week's record once it is due (the
/// unique (week, revision) index lets one instance win) and queues its emails in the same transaction, so the record and
/// its sending happen together exactly once; then reminds owners of overdue action items (each claimed by a conditional
/// update, so one reminder per item).
/// </summary>
public sealed class CadenceRunner(Storage storage, TimeProvider clock, SyncRecords records, EmailOutbox outbox, ILogger<CadenceRunner> log)
{
    public async Task<CadencePass> RunOnceAsync(CancellationToken ct)
    {
        await using var db = storage.Open(clock);
        db.Actor = "system:cadence";
        var week = SyncRecords.DueWeek(db.UtcNow, records.Zone, records.Options);
        var queued = new List<OutboxEmail>();
        SyncRecord? row = null;
        try
        {
            row = await records.WriteFirstAsync(db, week, async (tx, rec, doc) =>
            {
                if (records.Options.Email) queued.AddRange(await SyncEmail.QueueAsync(tx, rec, doc, records.Options, ct));
            }, ct);
        }
        catch (InsightBehindException e)
        {
            // Never written short: the next pass writes it. Reminders below do not depend on it.
            log.LogWarning(e, "Weekly sync record {Week} not written yet.", week.Key);
        }
        if (row is not null) log.LogInformation("Weekly sync record {Week} written ({Sha}); {Emails} email(s) queued.", row.Week, row.Sha256, queued.Count);
        foreach (var e in queued) await outbox.SendAsync(e.Id, ct); // the outbox retries any the server refused
        var reminders = await RemindAsync(db, ct);
        return new CadencePass(row?.Week, queued.Count, reminders);
    }

    /// <summary>One email per overdue open action item, to its owner, once.</summary>
    public async Task<int> RemindAsync(TandemDb db, CancellationToken ct)
    {
        var today = Periods.Today(db.UtcNow, records.Zone);
        var due = await db.ActionItems.AsNoTracking().Where(a => a.Status == ActionStatus.Open && a.DueOn < today && a.RemindedAt == null && a.OwnerId != null)
            .OrderBy(a => a.Id).Take(100).ToListAsync(ct);
        var sent = 0;
        foreach (var a in due)
        {
            var owner = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == a.OwnerId, ct);
            if (owner is not { IsActive: true } || !Recipients.IsAddress(owner.Email)) continue;
            OutboxEmail email;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var now = db.UtcNow;
                if (await db.ActionItems.Where(x => x.Id == a.Id && x.RemindedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.RemindedAt, now), ct) != 1)
                    continue; // another instance reminded
                db.EmailOutbox.Add(email = new OutboxEmail
                {
                    EventType = "action.overdue", To = owner.Email, Subject = $"Overdue: {a.Title}", CreatedAt = now, NextAttemptAt = now,
                    Text = $"The action item \"{a.Title}\" from the {a.RaisedWeek} sync was due on {a.DueOn:yyyy-MM-dd} and is still open. "
                        + "Mark it done on the weekly sync page once it is.",
                    Ref = $"action:{a.Id}",
                });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            await outbox.SendAsync(email.Id, ct);
            sent++;
        }
        return sent;
    }
}

/// <summary>Runs <see cref="CadenceRunner"/> every minute on every instance (the database keeps each effect to one).</summary>
public sealed class CadenceJob(CadenceRunner runner, SyncRecords records, LiveSync live, TimeProvider clock, ILogger<CadenceJob> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!records.Options.RunInBackground) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await runner.RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogError(e, "The cadence pass failed; trying again in {Interval}.", Interval); }
            try { if (records.Options.WarmLivePage) await live.WarmAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogWarning(e, "Building this week's sync page ahead of its first visit failed; the visit will build it."); }
            try { await Task.Delay(Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

public static class CadenceSetup
{
    public static WebApplicationBuilder AddCadence(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<CadenceOptions>().BindConfiguration(CadenceOptions.Section).ValidateOnStart();
        s.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CadenceOptions>>(new SettingsCheck<CadenceOptions>(o => o.Problem()));
        s.AddSingleton<SyncRecords>();
        s.AddSingleton<LiveSync>();
        s.AddSingleton<CadenceRunner>();
        s.AddHostedService<CadenceJob>();
        return builder;
    }
}
