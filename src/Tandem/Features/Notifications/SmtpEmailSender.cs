using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Tandem.Features.Notifications;

/// <summary>Sends through an SMTP server with MailKit: one connection per message (notifications are few).</summary>
public sealed class SmtpEmailSender(SmtpOptions options, ILogger<SmtpEmailSender> log) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        var mime = ToMime(message);
        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(options.Host!, options.Port, Map(options.Tls), ct);
            if (!string.IsNullOrWhiteSpace(options.Username))
                await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            await client.SendAsync(mime, ct);
            await client.DisconnectAsync(quit: true, ct);
            log.LogInformation("Sent email '{Subject}' to {Count} recipient(s).", message.Subject, message.To.Count + message.Cc.Count);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException
                                   or SslHandshakeException or System.Net.Sockets.SocketException or IOException or ServiceNotConnectedException)
        {
            throw new EmailException(Describe(e), e);
        }
    }

    /// <summary>The MIME message Tandem sends; public so tests and previews see exactly what goes out.</summary>
    public MimeMessage ToMime(EmailMessage message)
    {
        if (message.To.Count == 0) throw new ArgumentException("An email needs at least one recipient.", nameof(message));
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(options.FromName, options.From!));
        foreach (var to in message.To) mime.To.Add(MailboxAddress.Parse(to));
        foreach (var cc in message.Cc) mime.Cc.Add(MailboxAddress.Parse(cc));
        mime.Subject = message.Subject;
        if (message.MessageId is { } id) mime.MessageId = id;
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        foreach (var a in message.Attachments) body.Attachments.Add(a.Name, a.Content);
        foreach (var i in message.Inline)
        {
            var part = body.LinkedResources.Add(i.Name, i.Content);
            part.ContentId = i.ContentId;
        }
        mime.Body = body.ToMessageBody();
        return mime;
    }

    private static SecureSocketOptions Map(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    private string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"The SMTP server {options.Host}:{options.Port} refused"
            + (c.Mailbox is { } m ? $" <{m.Address}>" : "") + $" ({(int)c.StatusCode} {c.ErrorCode}): {c.Message.Trim()}",
        AuthenticationException => $"The SMTP server {options.Host}:{options.Port} did not accept user '{options.Username}' (check Smtp:Username/Password).",
        SslHandshakeException => $"TLS with {options.Host}:{options.Port} failed (check Smtp:Tls and the port): {e.Message}",
        System.Net.Sockets.SocketException => $"Cannot reach the SMTP server {options.Host}:{options.Port}: {e.Message}",
        _ => $"Sending through {options.Host}:{options.Port} failed: {e.Message}",
    };
}
