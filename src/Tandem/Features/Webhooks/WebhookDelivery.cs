using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Webhooks;

public enum DeliveryStatus { Pending, Delivered, DeadLetter }

/// <summary>
/// One event for one endpoint: an outbox row. It is written in the same transaction as the change that
/// caused it, so it survives restarts, and the delivery loop works through due rows until delivered
/// or dead-lettered.
/// </summary>
public class WebhookDelivery
{
    public long Id { get; set; }
    public int EndpointId { get; set; }
    /// <summary>Same for every attempt and replay, so receivers can drop duplicates.</summary>
    public required string EventId { get; set; }
    public required string EventType { get; set; }
    /// <summary>The exact JSON body sent (and signed) on every attempt.</summary>
    public required string Body { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>When the loop may try next; while an attempt is in flight, a lease that expires if the server dies.</summary>
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? DeadLetteredAt { get; set; }
    /// <summary>How often an admin sent it again from the dead-letter list.</summary>
    public int Replays { get; set; }
}

public class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.Property(x => x.EventId).HasMaxLength(40);
        b.Property(x => x.EventType).HasMaxLength(100);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.LastError).HasMaxLength(1000);
        // The loop's question: which pending rows are due?
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => x.EventId);
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
