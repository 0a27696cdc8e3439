using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Features.Notifications;
using Tandem.Features.Webhooks;

namespace Tandem.Tests.Notifications;

public class NotifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Smtp(SmtpSink sink) => new()
    {
        ["Smtp:Host"] = sink.Host, ["Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:From"] = "tandem@acme.test", ["Smtp:Tls"] = "None",
    };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_notice_emails_through_the_configured_smtp_server_and_queues_the_webhook(string provider)
    {
        await using var sink = SmtpSink.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await WebhookDeliveryTests.StartAsync(provider, more: Smtp(sink));
        await WebhookDeliveryTests.AddEndpointAsync(app, receiver.Url, "sla.*");
        Assert.IsType<SmtpEmailSender>(app.App.Services.GetRequiredService<IEmailSender>());

        NotifyResult result;
        await using (var db = app.Db.Open(app.Clock))
            result = await app.App.Services.GetRequiredService<Notifier>().NotifyAsync(db, new Notice("sla.breached", new { personId = 7 },
                ["rep@acme.test"], "SLA breached: Ann Lee", "First touch was due at 11:00.") { EmailCc = ["manager@acme.test"] }, Ct);

        Assert.Equal(new NotifyResult(1, true, null), result);
        var mail = await sink.WaitForMessageAsync();
        Assert.Equal(["rep@acme.test", "manager@acme.test"], mail.Recipients);
        Assert.Equal("SLA breached: Ann Lee", mail.Message.Subject);
        await using (var db = app.Db.Open(app.Clock))
            Assert.Equal("sla.breached", (await db.WebhookDeliveries.SingleAsync(Ct)).EventType); // saved by the notifier
        Assert.Equal(1, await app.App.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync(Ct));
        Assert.Contains("\"personId\":7", Assert.Single(receiver.Requests).Body);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_smtp_outage_is_reported_but_the_webhook_is_still_queued(string provider)
    {
        var sink = SmtpSink.Start();
        var settings = Smtp(sink);
        await sink.DisposeAsync(); // the mail server is down
        await using var app = await WebhookDeliveryTests.StartAsync(provider, more: settings);
        await WebhookDeliveryTests.AddEndpointAsync(app, "http://127.0.0.1:9/hook");

        await using var db = app.Db.Open(app.Clock);
        var result = await app.App.Services.GetRequiredService<Notifier>().NotifyAsync(db,
            new Notice("sla.breached", new { personId = 7 }, ["rep@acme.test"], "SLA breached", "Late."), Ct);

        Assert.Equal(1, result.WebhooksQueued);
        Assert.False(result.Emailed);
        Assert.Contains("Cannot reach the SMTP server", result.EmailError);
        Assert.Equal(1, await db.WebhookDeliveries.CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_email_the_server_refuses_stays_queued_and_is_sent_once_when_it_accepts(string provider)
    {
        await using var sink = SmtpSink.Start();
        sink.RejectRecipient = _ => true; // the mail server refuses for now
        var settings = new Dictionary<string, string?>(Smtp(sink)) { ["Email:RunInBackground"] = "false" };
        await using var app = await TestApp.StartAsync(provider, configure: b => b.Configuration.AddInMemoryCollection(settings));
        var outbox = app.App.Services.GetRequiredService<EmailOutbox>();

        await using var db = app.Db.Open(app.Clock);
        var result = await app.App.Services.GetRequiredService<Notifier>().NotifyAsync(db,
            new Notice("sla.breached", new { personId = 7 }, ["rep@acme.test"], "SLA breached", "Late."), Ct);
        Assert.False(result.Emailed);
        var row = await db.EmailOutbox.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((OutboxStatus.Pending, 1), (row.Status, row.Attempts));
        Assert.Equal(0, await outbox.SendDueAsync(Ct)); // not due before its backoff

        sink.RejectRecipient = _ => false; // the server is back
        app.Clock.Advance(EmailOutbox.Backoff(1));
        Assert.Equal(1, await outbox.SendDueAsync(Ct));
        var mail = await sink.WaitForMessageAsync();
        Assert.Equal("SLA breached", mail.Message.Subject);
        Assert.Equal($"tandem-email-{row.Id}-{row.CreatedAt.Ticks}@tandem.invalid", mail.Message.MessageId);
        row = await db.EmailOutbox.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((OutboxStatus.Sent, 2), (row.Status, row.Attempts));
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await outbox.SendDueAsync(Ct));
        Assert.Single(sink.Messages);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Without_smtp_settings_email_is_only_logged(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        Assert.IsType<LogOnlyEmailSender>(app.App.Services.GetRequiredService<IEmailSender>());
        await using var db = app.Db.Open(app.Clock);
        var result = await app.App.Services.GetRequiredService<Notifier>().NotifyAsync(db,
            new Notice("sla.breached", new { }, ["rep@acme.test"], "S", "T"), Ct);
        Assert.False(result.Emailed);
        Assert.Contains("not configured", result.EmailError);
    }
}
