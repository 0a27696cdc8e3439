using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Channels;

/// <summary>
/// One channel of the company's taxonomy (decision 0100). <see cref="Key"/> is what records store and never changes;
/// <see cref="Label"/> and <see cref="Group"/> are for people and can be renamed. Rows are never deleted, so the
/// <see cref="Id"/> order is stable and Insight numbers channels by it.
/// </summary>
public class ChannelRow : IVersioned
{
    public int Id { get; set; }
    public required string Key { get; set; }
    public required string Label { get; set; }
    /// <summary>The roll-up reports can split by, such as Paid for paid search and display; null for none.</summary>
    public string? Group { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public class ChannelRowConfiguration : IEntityTypeConfiguration<ChannelRow>
{
    public const int MaxLabel = 100, MaxGroup = 50;

    /// <summary>The seeded taxonomy: the eleven channels Tandem always had, then Unknown, Direct and Display.</summary>
    public static readonly ChannelRow[] Seed =
    [
        Row(1, Channel.PaidSearch, "Paid search", "Paid"),
        Row(2, Channel.Organic, "Organic search", "Inbound"),
        Row(3, Channel.Social, "Social", "Inbound"),
        Row(4, Channel.Email, "Email", "Programs"),
        Row(5, Channel.Webinar, "Webinar", "Programs"),
        Row(6, Channel.Event, "Event", "Programs"),
        Row(7, Channel.Content, "Content", "Inbound"),
        Row(8, Channel.Referral, "Referral", "Partners"),
        Row(9, Channel.Partner, "Partner", "Partners"),
        Row(10, Channel.Outbound, "Outbound (sales)", "Sales"),
        Row(11, Channel.Other, "Other", "Other"),
        Row(12, Channel.Unknown, "Unknown", "Other"),
        Row(13, Channel.Direct, "Direct", "Inbound"),
        Row(14, Channel.Display, "Display", "Paid"),
    ];

    private static ChannelRow Row(int id, Channel c, string label, string group) =>
        new() { Id = id, Key = c.Key, Label = label, Group = group, UpdatedAt = new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc), Version = 1 };

    public void Configure(EntityTypeBuilder<ChannelRow> b)
    {
        b.ToTable("channels");
        b.Property(x => x.Key).HasMaxLength(Channel.MaxKey);
        b.Property(x => x.Label).HasMaxLength(MaxLabel);
        b.Property(x => x.Group).HasMaxLength(MaxGroup);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Key).IsUnique();
        b.HasData(Seed);
    }
}
