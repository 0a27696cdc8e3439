using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Notifications;

public enum OutboxStatus { Pending, Sent, Failed }

/// <summary>
/// An email to send, written in the same transaction as the change that caused it (a breach, an escalation), and marked
/// sent only once the SMTP server has accepted it (<see cref="EmailOutbox"/>). An SMTP outage delays it; it does not lose it.
/// </summary>
public class OutboxEmail
{
    public long Id { get; set; }
    public required string EventType { get; set; }
    /// <summary>Addresses, comma-separated.</summary>
    public required string To { get; set; }
    public string? Cc { get; set; }
    public required string Subject { get; set; }
    public required string Text { get; set; }
    public string? Html { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the next attempt is due; while one runs, the end of its lease.</summary>
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public OutboxStatus Status { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>What the email is about, for pages that report its delivery ("sync:2026-W48"); null for notices.</summary>
    public string? Ref { get; set; }
    /// <summary>One attached file (the weekly record's PDF), stored with the row so a retry sends the same bytes.</summary>
    public string? AttachmentName { get; set; }
    public byte[]? Attachment { get; set; }

    public static OutboxEmail Of(Notice n, DateTime now) => new()
    {
        EventType = n.EventType, To = string.Join(',', n.EmailTo), Cc = n.EmailCc.Count == 0 ? null : string.Join(',', n.EmailCc),
        Subject = n.Subject, Text = n.Text, Html = n.Html, CreatedAt = now, NextAttemptAt = now,
    };

    /// <summary>The message, with a Message-Id fixed per row: a resend after a crash between "accepted" and "marked sent"
    /// carries the same id, which mail systems use to drop the duplicate.</summary>
    public EmailMessage ToMessage()
    {
        var (html, inline) = InlineImages.Extract(Html);
        return new(To.Split(','), Subject, Text, html)
        {
            Cc = Cc?.Split(',') ?? [], MessageId = $"tandem-email-{Id}-{CreatedAt.Ticks}@tandem.invalid",
            Attachments = Attachment is { } bytes && AttachmentName is { } name ? [new EmailAttachment(name, bytes)] : [],
            Inline = inline,
        };
    }
}

public class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> b)
    {
        b.ToTable("email_outbox");
        b.Property(x => x.EventType).HasMaxLength(60);
        b.Property(x => x.To).HasMaxLength(4000);
        b.Property(x => x.Cc).HasMaxLength(4000);
        b.Property(x => x.Subject).HasMaxLength(500);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.Property(x => x.Ref).HasMaxLength(100);
        b.Property(x => x.AttachmentName).HasMaxLength(200);
        b.HasIndex(x => x.Ref);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
    }
}
