using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Tandem.Features.Cadence;
using Tandem.Features.Notifications;
using Tandem.Tests.Handoff;

namespace Tandem.Tests.Cadence;

/// <summary>The record's PDF and email: real PDF read back by poppler, real SMTP to the sink, outages survived.</summary>
public class SyncSendingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Script = "<script>alert('x')</script><b>Is there an API?</b>";

    private static Dictionary<string, string?> Smtp(int port) => new()
    {
        ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture), ["Smtp:From"] = "tandem@acme.test",
        ["Smtp:Tls"] = "None", ["Cadence:Lists:EMEA"] = "emea-sales@acme.test, emea-marketing@acme.test",
    };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_record_reaches_each_team_list_with_its_pdf_attached_and_a_note_with_markup_stays_text(string provider)
    {
        await using var sink = SmtpSink.Start();
        var w = await CadenceWorld.StartAsync(provider, Smtp(sink.Port));
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        var lead = await w.MqlAsync("ann@acme.com");
        await app.PostAsync<FieldNote>("/api/notes", new { kind = "Question", text = Script, personId = lead.PersonId });
        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);

        var pass = await app.PassAsync();

        Assert.Equal(1, pass.EmailsQueued);
        var mail = await sink.WaitForMessageAsync();
        Assert.Equal(["emea-sales@acme.test", "emea-marketing@acme.test"], mail.Recipients);
        Assert.StartsWith("Weekly sync 2026-W10", mail.Message.Subject);
        Assert.Contains("&lt;script&gt;alert(", mail.Message.HtmlBody);
        Assert.DoesNotContain("<script>", mail.Message.HtmlBody);
        Assert.DoesNotContain("<b>Is there", mail.Message.HtmlBody);
        Assert.Contains(Script, mail.Message.TextBody);
        // The trend charts travel as PNG parts the HTML names by Content-Id; their figures stay readable as alt text.
        var images = mail.Message.BodyParts.OfType<MimePart>().Where(p => p.ContentType.MimeType == "image/png").ToList();
        Assert.NotEmpty(images);
        foreach (var image in images)
        {
            Assert.False(string.IsNullOrEmpty(image.ContentId));
            Assert.Contains($"src=\"cid:{image.ContentId}\"", mail.Message.HtmlBody);
            using var png = new MemoryStream();
            await image.Content!.DecodeToAsync(png, Ct);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.ToArray()[..4]);
        }
        Assert.DoesNotContain("data:image", mail.Message.HtmlBody);
        Assert.Contains("alt=\"Last 8 weeks, oldest first: 0, 0, 0, 0, 0, 0, 0, 1\"", mail.Message.HtmlBody);
        var pdf = Assert.Single(mail.Message.Attachments.OfType<MimePart>());
        Assert.Equal(("application/pdf", "tandem-sync-2026-W10.pdf"), (pdf.ContentType.MimeType, pdf.FileName));
        using var bytes = new MemoryStream();
        await pdf.Content!.DecodeToAsync(bytes, Ct);
        var (text, pages) = CadenceWorld.ReadPdf(bytes.ToArray());
        Assert.InRange(pages, 1, 3);
        Assert.Contains("Weekly sync 2026-W10", text);
        Assert.Contains("<script>alert('x')</script><b>Is there an API?</b>", text.Replace("\n", "").Replace("  ", " "));
        Assert.Contains("MQLs against plan: 1", text);
        Assert.Contains(Assert.Single(await app.RecordsAsync()).Sha256, text.Replace("\n", ""));

        // The same PDF from the API.
        var fromApi = await app.Client.GetByteArrayAsync($"/api/sync/{CadenceWorld.Week}/pdf", Ct);
        Assert.Contains("Questions heard".ToUpperInvariant(), CadenceWorld.ReadPdf(fromApi).Text);
        Assert.Single(sink.Messages);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task With_smtp_down_the_record_is_queued_reported_and_sent_once_when_the_server_is_back(string provider)
    {
        var port = SmtpSink.FreePort(); // nothing listens: the SMTP server is down
        var w = await CadenceWorld.StartAsync(provider, Smtp(port));
        await using var app = w.App;
        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);

        var pass = await app.PassAsync();

        Assert.Equal((CadenceWorld.Week, 1), (pass.Written, pass.EmailsQueued));
        var shown = await app.GetAsync<SyncRecordDto>($"/api/sync/{CadenceWorld.Week}");
        var status = Assert.Single(shown.Emails);
        Assert.Equal(("Pending", 1), (status.Status, status.Attempts));
        Assert.Contains("Cannot reach the SMTP server", status.LastError);

        await using var sink = SmtpSink.Start(port); // the server comes back
        var outbox = app.App.Services.GetRequiredService<EmailOutbox>();
        Assert.Equal(0, await outbox.SendDueAsync(Ct)); // not before its backoff
        app.Clock.Advance(EmailOutbox.Backoff(1));
        Assert.Equal(1, await outbox.SendDueAsync(Ct));
        var mail = await sink.WaitForMessageAsync();
        Assert.Single(mail.Message.Attachments);
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromHours(1));
            await outbox.SendDueAsync(Ct);
            await app.PassAsync();
        }
        Assert.Single(sink.Messages);
        Assert.Equal("Sent", Assert.Single((await app.GetAsync<SyncRecordDto>($"/api/sync/{CadenceWorld.Week}")).Emails).Status);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_hosts_at_the_scheduled_minute_write_one_record_and_send_it_once(string provider)
    {
        await using var sink = SmtpSink.Start();
        await MultiInstance.TwoHostsTests.OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            var settings = CadenceWorld.Settings(Smtp(sink.Port));
            var w = await HandoffWorld.StartOnAsync(store, clock, settings);
            await using var a = w.App;
            await using var b = await TestApp.StartOnAsync(store, clock, configure: HandoffWorld.Settings(settings));
            await w.AccountAsync("acme.com");
            await w.MqlAsync("ann@acme.com");
            clock.SetUtcNow(CadenceWorld.NextMonday8);

            var passes = await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(_ => new[] { Task.Run(a.PassAsync, Ct), Task.Run(b.PassAsync, Ct) }));

            Assert.Equal(1, passes.Count(p => p.Written == CadenceWorld.Week));
            Assert.Equal(1, passes.Sum(p => p.EmailsQueued));
            Assert.Single(await a.RecordsAsync());
            await sink.WaitForMessageAsync();
            await Task.Delay(300, Ct);
            Assert.Single(sink.Messages);
        });
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Open_actions_carry_over_until_done_and_an_overdue_owner_is_reminded_once(string provider)
    {
        await using var sink = SmtpSink.Start();
        var w = await CadenceWorld.StartAsync(provider, Smtp(sink.Port));
        await using var app = w.App;
        var rep = w.Reps[0];
        var item = await app.PostAsync<ActionItem>("/api/actions", new { title = "Call back the webinar leads", ownerId = rep, dueOn = "2026-03-04" });
        Assert.Equal(CadenceWorld.Week, item.RaisedWeek);
        await Problem.AssertFieldAsync(await HandoffWorld.PostAsync(app.Client, "/api/actions", new { title = "", week = "2026-W77" }), "title");

        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);
        var first = await app.PassAsync();
        Assert.Equal(1, first.Reminders);
        app.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, (await app.PassAsync()).Reminders);

        var w10 = await app.GetAsync<SyncRecordDto>("/api/sync/2026-W10");
        Assert.Equal("Call back the webinar leads", Assert.Single(w10.Document.Actions.New).Title);
        var w11 = await app.GetAsync<SyncRecordDto>("/api/sync/2026-W11");
        var carried = Assert.Single(w11.Document.Actions.CarriedOver);
        Assert.Equal(("rep1", 14), (carried.Owner, carried.AgeDays)); // raised 2 March, the week ends 16 March

        var done = await app.Client.PatchAsJsonAsync($"/api/actions/{item.Id}", new { status = "Done", version = item.Version }, TestApp.Json, Ct);
        Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync(Ct));
        var stale = await app.Client.PatchAsJsonAsync($"/api/actions/{item.Id}", new { status = "Open", version = item.Version }, TestApp.Json, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stale.StatusCode);
        app.Clock.Advance(TimeSpan.FromDays(7));
        await app.PassAsync();
        var w12 = await app.GetAsync<SyncRecordDto>("/api/sync/2026-W12");
        Assert.Equal("Done", Assert.Single(w12.Document.Actions.Done).Status);
        Assert.Empty(w12.Document.Actions.CarriedOver);

        var reminders = sink.Messages.Where(m => m.Message.Subject?.StartsWith("Overdue") == true).ToList();
        Assert.Equal([w.Email(rep)], Assert.Single(reminders).Recipients);
    }
}
