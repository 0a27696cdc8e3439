using Tandem.Features.Notifications;

namespace Tandem.Tests.Notifications;

/// <summary>Data-URI pictures become Content-Id parts at send time (decision 0093).</summary>
public class InlineImagesTests
{
    private static readonly byte[] A = [0x89, 0x50, 0x4e, 0x47, 1, 2, 3], B = [0x89, 0x50, 0x4e, 0x47, 9, 9];
    private static string Img(byte[] b) => $"<img src=\"data:image/png;base64,{Convert.ToBase64String(b)}\" alt=\"x\">";

    [Fact]
    public void Each_data_uri_becomes_a_cid_reference_and_one_part_per_distinct_picture()
    {
        var (html, parts) = InlineImages.Extract($"<p>{Img(A)}{Img(B)}{Img(A)}</p>");

        Assert.Equal(2, parts.Count);
        Assert.Equal([A, B], parts.Select(p => p.Content));
        Assert.DoesNotContain("data:image", html);
        Assert.Equal(2, html!.Split($"src=\"cid:{parts[0].ContentId}\"").Length - 1);
        Assert.Contains($"src=\"cid:{parts[1].ContentId}\"", html);
    }

    [Fact]
    public void The_content_id_depends_only_on_the_picture_so_a_resend_names_the_same_parts()
    {
        var first = InlineImages.Extract(Img(A)).Parts.Single().ContentId;
        var again = InlineImages.Extract("<div>other text</div>" + Img(A)).Parts.Single().ContentId;
        Assert.Equal(first, again);
        Assert.EndsWith("@tandem.invalid", first);
    }

    [Fact]
    public void Html_without_pictures_and_no_html_pass_through()
    {
        Assert.Equal(("<p>hi</p>", 0), (InlineImages.Extract("<p>hi</p>").Html, InlineImages.Extract("<p>hi</p>").Parts.Count));
        Assert.Null(InlineImages.Extract(null).Html);
    }

    [Fact]
    public async Task The_smtp_message_carries_the_parts_as_inline_pngs_under_their_content_ids()
    {
        var (html, parts) = InlineImages.Extract(Img(A));
        await using var sink = SmtpSink.Start();
        var sender = new SmtpEmailSender(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, From = "t@acme.test", Tls = SmtpTls.None },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SmtpEmailSender>.Instance);
        await sender.SendAsync(new EmailMessage(["a@acme.test"], "Charts", "text", html) { Inline = parts }, TestContext.Current.CancellationToken);

        var mail = await sink.WaitForMessageAsync();
        var part = Assert.Single(mail.Message.BodyParts.OfType<MimeKit.MimePart>(), p => p.ContentType.MimeType == "image/png");
        Assert.Equal(parts[0].ContentId, part.ContentId);
        Assert.Contains($"cid:{part.ContentId}", mail.Message.HtmlBody);
        Assert.Empty(mail.Message.Attachments);
    }
}
