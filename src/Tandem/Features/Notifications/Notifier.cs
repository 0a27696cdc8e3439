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

/// <summary>The one call features make to tell people something: queues the webhook event, saves, then emails.</summary>
/// <remarks>
/// The webhook rows are saved with whatever else the caller changed on <c>db</c> (the breach it just recorded,
/// say), so the event is durable and retried. The email is sent after that save, once: an SMTP outage is
/// logged and reported in the result, and never undoes the change (docs/decisions/0017-email-and-notifier.md).
/// A caller that claims its work in a transaction of its own (the SLA sweeper) uses the two halves instead:
/// <see cref="QueueAsync"/> inside the transaction, <see cref="EmailAsync"/> after the commit.
/// </remarks>
public sealed class Notifier(IEmailSender email, SmtpOptions smtp, ILogger<Notifier> log)
{
    public async Task<NotifyResult> NotifyAsync(TandemDb db, Notice notice, CancellationToken ct = default)
    {
        var queued = await QueueAsync(db, notice, ct);
        await db.SaveChangesAsync(ct);
        return await EmailAsync(notice, queued, ct);
    }

    /// <summary>Adds the webhook outbox rows to <paramref name="db"/> without saving; returns how many.</summary>
    public Task<int> QueueAsync(TandemDb db, Notice notice, CancellationToken ct = default) =>
        WebhookQueue.EnqueueAsync(db, notice.EventType, notice.Data, ct);

    /// <summary>Sends the email, if the notice has recipients; call it only once the change that caused it is committed.</summary>
    /// <param name="queued">The webhooks <see cref="QueueAsync"/> added, reported back in the result.</param>
    public async Task<NotifyResult> EmailAsync(Notice notice, int queued, CancellationToken ct = default)
    {
        if (notice.EmailTo.Count == 0) return new NotifyResult(queued, false, null);
        try
        {
            await email.SendAsync(new EmailMessage(notice.EmailTo, notice.Subject, notice.Text, notice.Html) { Cc = notice.EmailCc }, ct);
            // Without a server the sender only logged it: say so rather than claim it was emailed.
            return smtp.IsConfigured ? new NotifyResult(queued, true, null)
                : new NotifyResult(queued, false, "SMTP is not configured (Smtp:Host): the email was written to the log, not sent.");
        }
        catch (EmailException e)
        {
            log.LogError(e, "Email for {EventType} not sent: {Reason}", notice.EventType, e.Message);
            return new NotifyResult(queued, false, e.Message);
        }
    }
}
