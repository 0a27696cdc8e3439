using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Notifications;

/// <summary>
/// Sends queued emails (<see cref="OutboxEmail"/>): at once after the change that queued them commits, and again by a
/// background pass every <see cref="PollInterval"/> for any the server could not send (decision 0044).
/// </summary>
/// <remarks>
/// Each attempt claims its row first by moving NextAttemptAt to the end of a lease with a conditional update, so two
/// servers (or the immediate send and the background pass) never send one row at once. The row is marked sent only after
/// the SMTP server accepted the message, and only while the lease holds. A failure is retried with backoff (1, 2, 4 … 60
/// minutes) up to <see cref="MaxAttempts"/> times, then left as Failed with its last error for an admin to see.
/// </remarks>
public sealed class EmailOutbox(IServiceScopeFactory scopes, IEmailSender sender, TimeProvider clock, ILogger<EmailOutbox> log)
{
    public const int MaxAttempts = 10;
    public const int BatchSize = 50;
    private const string ClaimedElsewhere = "another pass is sending it right now";
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    /// <summary>Tries one queued email now; null when it went, else why not.</summary>
    public async Task<string?> SendAsync(long id, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var row = await db.EmailOutbox.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null) return $"email {id} is not in the outbox";
        if (row.Status != OutboxStatus.Pending) return row.Status == OutboxStatus.Sent ? null : row.LastError;
        return await AttemptAsync(db, row, ct);
    }

    /// <summary>One pass over due emails; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.EmailOutbox.AsNoTracking().Where(e => e.Status == OutboxStatus.Pending && e.NextAttemptAt <= now)
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id).Take(BatchSize).ToListAsync(ct);
        var attempted = 0;
        foreach (var row in due)
            if (await AttemptAsync(db, row, ct) is not ClaimedElsewhere) attempted++;
        return attempted;
    }

    private async Task<string?> AttemptAsync(TandemDb db, OutboxEmail row, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lease = now + Lease;
        if (await db.EmailOutbox.Where(e => e.Id == row.Id && e.Status == OutboxStatus.Pending && e.NextAttemptAt == row.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.NextAttemptAt, lease), ct) != 1)
            return ClaimedElsewhere;
        string? error = null;
        try { await sender.SendAsync(row.ToMessage(), ct); }
        catch (EmailException e) { error = e.Message; }

        var attempts = row.Attempts + 1;
        var mine = db.EmailOutbox.Where(e => e.Id == row.Id && e.NextAttemptAt == lease);
        var done = clock.GetUtcNow().UtcDateTime;
        if (error is null)
        {
            await mine.ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, OutboxStatus.Sent).SetProperty(e => e.SentAt, done)
                .SetProperty(e => e.Attempts, attempts).SetProperty(e => e.LastError, (string?)null), ct);
            return null;
        }
        var status = attempts >= MaxAttempts ? OutboxStatus.Failed : OutboxStatus.Pending;
        var next = done + Backoff(attempts);
        var why = error.Length > 1000 ? error[..1000] : error;
        await mine.ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, status).SetProperty(e => e.Attempts, attempts)
            .SetProperty(e => e.NextAttemptAt, next).SetProperty(e => e.LastError, why), ct);
        log.LogWarning("Email {Id} ({Event}) not sent, attempt {Attempt}: {Reason}. {Next}", row.Id, row.EventType, attempts, error,
            status == OutboxStatus.Failed ? "Giving up." : $"Trying again at {next:u}.");
        return error;
    }

    /// <summary>1, 2, 4 … minutes after each failure, at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, attempts - 1)));
}

/// <summary>The background pass of <see cref="EmailOutbox"/>; every instance runs it (rows are claimed, never sent twice at once).</summary>
public sealed class EmailOutboxService(EmailOutbox outbox, TimeProvider clock, IConfiguration config, ILogger<EmailOutboxService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Email:RunInBackground", true)) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await outbox.SendDueAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
            catch (Exception e) { log.LogError(e, "Email pass failed; trying again in {Interval}.", EmailOutbox.PollInterval); }
            try { await Task.Delay(EmailOutbox.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
