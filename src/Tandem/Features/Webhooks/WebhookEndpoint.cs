using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Webhooks;

/// <summary>A receiver an admin registered: where events go, the secret that signs them, and which events it wants.</summary>
public class WebhookEndpoint : IVersioned
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    /// <summary>The HMAC key. Stored as is because signing needs it; shown only when created or rotated.</summary>
    public required string Secret { get; set; }
    /// <summary>Comma-separated event types ("sla.breached,lead.rejected"); "*" means all, "sla.*" a family.</summary>
    public string Events { get; set; } = "*";
    public bool IsEnabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public bool Wants(string eventType) => WebhookEvents.Matches(Events, eventType);
}

public class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("webhook_endpoints");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Url).HasMaxLength(2000);
        b.Property(x => x.Secret).HasMaxLength(100);
        b.Property(x => x.Events).HasMaxLength(1000);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Name).IsUnique();
    }
}
