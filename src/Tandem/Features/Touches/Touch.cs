using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Touches;

/// <summary>One engagement event. Append-only and unique by the sender's <see cref="EventId"/>,
/// so re-sending a batch is harmless.</summary>
public class Touch
{
    public long Id { get; set; }
    public required string EventId { get; set; }
    public int PersonId { get; set; }
    public TouchType Type { get; set; }
    public Channel Channel { get; set; }
    public int? CampaignId { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary>Free-form JSON object from the sender (page URL, form name, UTM tags…).</summary>
    public string? Properties { get; set; }
}

public class TouchConfiguration : IEntityTypeConfiguration<Touch>
{
    public void Configure(EntityTypeBuilder<Touch> b)
    {
        b.ToTable("touches");
        b.Property(x => x.EventId).HasMaxLength(200);
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(x => x.EventId).IsUnique();
        b.HasIndex(x => new { x.PersonId, x.OccurredAt });
        b.HasIndex(x => new { x.CampaignId, x.OccurredAt });
        b.HasOne<People.Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}
