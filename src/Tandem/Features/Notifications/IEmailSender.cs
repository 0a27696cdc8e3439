namespace Tandem.Features.Notifications;

/// <summary>One plain email. <see cref="HtmlBody"/> is optional; the text body is always sent.</summary>
public sealed record EmailMessage(IReadOnlyList<string> To, string Subject, string TextBody, string? HtmlBody = null)
{
    public IReadOnlyList<string> Cc { get; init; } = [];
    /// <summary>The Message-Id header (without angle brackets); null lets the client make one.</summary>
    public string? MessageId { get; init; }
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];
    /// <summary>Pictures the HTML names by <c>cid:</c> (<see cref="InlineImages"/>).</summary>
    public IReadOnlyList<EmailInline> Inline { get; init; } = [];
}

/// <summary>A file sent with an email; the content type follows from the name's extension.</summary>
public sealed record EmailAttachment(string Name, byte[] Content);

/// <summary>
/// Sends email. A real seam: SMTP in production (<see cref="SmtpEmailSender"/>), a log line when no server is
/// configured (<see cref="LogOnlyEmailSender"/>), a recording fake in tests that are not about email.
/// </summary>
public interface IEmailSender
{
    /// <exception cref="EmailException">The server refused or could not be reached; the message says which.</exception>
    Task SendAsync(EmailMessage message, CancellationToken ct = default);
}

/// <summary>Sending failed; <see cref="Exception.Message"/> says why in words an admin can act on.</summary>
public sealed class EmailException(string message, Exception? inner = null) : Exception(message, inner);
