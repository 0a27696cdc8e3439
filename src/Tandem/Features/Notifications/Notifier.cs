using Tandem.Data;
using Tandem.Features.Webhooks;

namespace Tandem.Features.Notifications;

/// <summary>
/// What to tell, to whom: a webhook event (to every endpoint that wants <see cref="EventType"/>) and,
/// when <see cref="EmailTo"/> is not empty, an email.
/// </summary>
public sealed record Notice(string EventType, object Data, IReadOnlyList<string> EmailTo, string Subject, string Text)
{
    public IReadOnlyList<string> EmailCc { get; init; } = [];
    public string? Html { get; init; }
}

/// <param name="WebhooksQueued">Deliveries added to the outbox (one per interested endpoint).</param>
/// <param name="EmailError">Why the email was not sent, or null when it was (or none was asked for).</param>
public sealed record NotifyResult(int WebhooksQueued, bool Emailed, string? EmailError);

/// <summary>What <see cref="Notifier.QueueAsync"/> added to the context: the webhook rows and the email row, if any.</summary>
public sealed record Queued(int Webhooks, OutboxEmail? Email);

/// <summary>The one call features make to tell people something: queues the webhook event and the email, saves, then sends.</summary>
/// <remarks>
/// The webhook and email rows are saved with whatever else the caller changed on <c>db</c> (the breach it just recorded,
/// say), so the event is durable and retried. The email is then tried at once; an SMTP outage is logged and reported in
/// the result, never undoes the change, and the email is retried by <see cref="EmailOutbox"/> until the server takes it
/// (docs/decisions/0017-email-and-notifier.md, 0044). A caller that claims its work in a transaction of its own (the SLA
/// sweeper) uses the two halves instead: <see cref="QueueAsync"/> inside the transaction, <see cref="EmailAsync"/> after
/// the commit.
/// </remarks>
public sealed class Notifier(EmailOutbox outbox, SmtpOptions smtp, ILogger<Notifier> log)
{
    public async Task<NotifyResult> NotifyAsync(TandemDb db, Notice notice, CancellationToken ct = default)
    {
        var queued = await QueueAsync(db, notice, ct);
        await db.SaveChangesAsync(ct);
        return await EmailAsync(notice, queued, ct);
    }

    /// <summary>Adds the webhook outbox rows and the email row to <paramref name="db"/> without saving.</summary>
    public async Task<Queued> QueueAsync(TandemDb db, Notice notice, CancellationToken ct = default)
    {
        var webhooks = await WebhookQueue.EnqueueAsync(db, notice.EventType, notice.Data, ct);
        OutboxEmail? email = null;
        if (notice.EmailTo.Count > 0) db.EmailOutbox.Add(email = OutboxEmail.Of(notice, db.UtcNow));
        return new Queued(webhooks, email);
    }

    /// <summary>Tries the queued email now; call it only once the change that queued it is committed.</summary>
    public async Task<NotifyResult> EmailAsync(Notice notice, Queued queued, CancellationToken ct = default)
    {
        if (queued.Email is null) return new NotifyResult(queued.Webhooks, false, null);
        if (await outbox.SendAsync(queued.Email.Id, ct) is { } error)
        {
            log.LogError("Email for {EventType} not sent yet: {Reason}. It stays in the outbox and is tried again.", notice.EventType, error);
            return new NotifyResult(queued.Webhooks, false, error);
        }
        // Without a server the sender only logged it: say so rather than claim it was emailed.
        return smtp.IsConfigured ? new NotifyResult(queued.Webhooks, true, null)
            : new NotifyResult(queued.Webhooks, false, "SMTP is not configured (Smtp:Host): the email was written to the log, not sent.");
    }
}
