using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Features.Notifications;

namespace Tandem.Tests.Notifications;

/// <summary>The real MailKit sender over TCP against <see cref="SmtpSink"/>.</summary>
public class EmailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SmtpEmailSender Sender(int port, string? user = null, string? password = null) => new(new SmtpOptions
    {
        Host = "127.0.0.1", Port = port, From = "tandem@acme.test", FromName = "Tandem SLA", Tls = SmtpTls.None,
        Username = user, Password = password, Timeout = TimeSpan.FromSeconds(10),
    }, NullLogger<SmtpEmailSender>.Instance);

    [Fact]
    public async Task An_email_reaches_the_smtp_sink_with_envelope_subject_and_both_bodies()
    {
        await using var sink = SmtpSink.Start();
        await Sender(sink.Port).SendAsync(new EmailMessage(["rep@acme.test"], "SLA breached: Ann Lee (Acme)",
            "First touch was due at 11:00 and has not happened.", "<p>First touch was due at <b>11:00</b>.</p>") { Cc = ["boss@acme.test"] }, Ct);

        var mail = await sink.WaitForMessageAsync();
        Assert.Equal("tandem@acme.test", mail.From);
        Assert.Equal(["rep@acme.test", "boss@acme.test"], mail.Recipients);
        Assert.Null(mail.AuthenticatedUser);
        Assert.Equal("SLA breached: Ann Lee (Acme)", mail.Message.Subject);
        Assert.Equal("Tandem SLA", mail.Message.From.Mailboxes.Single().Name);
        Assert.Contains("has not happened", mail.Message.TextBody);
        Assert.Contains("<b>11:00</b>", mail.Message.HtmlBody);
    }

    [Fact]
    public async Task Credentials_are_used_when_configured_and_a_wrong_password_is_a_clear_error()
    {
        await using var sink = SmtpSink.Start();
        sink.RequireLogin = ("tandem", "s3cret");
        await Sender(sink.Port, "tandem", "s3cret").SendAsync(new EmailMessage(["rep@acme.test"], "Hello", "Body"), Ct);
        Assert.Equal("tandem", (await sink.WaitForMessageAsync()).AuthenticatedUser);

        var e = await Assert.ThrowsAsync<EmailException>(() => Sender(sink.Port, "tandem", "wrong").SendAsync(new EmailMessage(["rep@acme.test"], "Hi", "B"), Ct));
        Assert.Contains("did not accept user 'tandem'", e.Message);
        Assert.Single(sink.Messages);
    }

    [Fact]
    public async Task A_refused_recipient_and_an_unreachable_server_are_clear_errors()
    {
        await using var sink = SmtpSink.Start();
        sink.RejectRecipient = to => to.EndsWith("@gone.test", StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<EmailException>(() =>
            Sender(sink.Port).SendAsync(new EmailMessage(["left@gone.test"], "Hi", "B"), Ct));
        Assert.Contains("refused", refused.Message);
        Assert.Contains("left@gone.test", refused.Message);
        Assert.Empty(sink.Messages);

        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var unreachable = await Assert.ThrowsAsync<EmailException>(() => Sender(port).SendAsync(new EmailMessage(["rep@acme.test"], "Hi", "B"), Ct));
        Assert.Contains($"Cannot reach the SMTP server 127.0.0.1:{port}", unreachable.Message);
    }

    [Fact]
    public async Task A_bad_smtp_setting_stops_the_server_at_start_naming_the_setting()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        await using var app = TandemHost.Build(new HostOptions(db.Storage, Quiet: true)
        {
            Configure = b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:Host"] = "mail.acme.test", ["Smtp:From"] = "nobody" }),
        });
        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync(Ct));
        Assert.Contains("Smtp:From 'nobody' is not an email address", e.Message);
    }

    [Fact]
    public void Smtp_settings_name_what_is_wrong()
    {
        Assert.Null(new SmtpOptions().Problem()); // no host: email is only logged
        Assert.Contains("Smtp:From", new SmtpOptions { Host = "mail", From = "nobody" }.Problem());
        Assert.Contains("Smtp:Port", new SmtpOptions { Host = "mail", From = "a@b.test", Port = 0 }.Problem());
        Assert.Contains("Smtp:Username", new SmtpOptions { Host = "mail", From = "a@b.test", Password = "x" }.Problem());
        Assert.Null(new SmtpOptions { Host = "mail", From = "a@b.test" }.Problem());
    }
}
