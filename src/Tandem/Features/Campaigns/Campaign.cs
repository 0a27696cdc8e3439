using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Campaigns;

public class Campaign : IVersioned
{
    public int Id { get; set; }
    public string? ExternalId { get; set; }
    public required string Name { get; set; }
    public Channel Channel { get; set; }
    /// <summary>Minor units (cents) of <see cref="Currency"/>.</summary>
    public long CostMinor { get; set; }
    public string Currency { get; set; } = "USD";
    public DateTime? StartsAt { get; set; }
    public DateTime? EndsAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.ToTable("campaigns");
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.ExternalId).IsUnique();
        b.HasIndex(x => x.Name);
    }
}
