namespace Tandem.Features.Notifications;

/// <summary>Used when no SMTP server is configured (demo, first start): the email is written to the log, not sent.</summary>
public sealed class LogOnlyEmailSender(ILogger<LogOnlyEmailSender> log) : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        log.LogWarning("SMTP is not configured (Smtp:Host); not sending '{Subject}' to {To}.", message.Subject, string.Join(", ", message.To));
        return Task.CompletedTask;
    }
}
