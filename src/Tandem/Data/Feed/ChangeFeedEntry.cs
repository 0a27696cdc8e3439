using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Data.Feed;

/// <summary>
/// One committed transaction that changed the funnel: which people and opportunities it touched and which other tables.
/// <see cref="Seq"/> is gapless and in commit order (decision 0041): a reader that has applied everything up to N and
/// sees N+1 has missed nothing, whatever order ids were allocated in and however many processes write.
/// </summary>
public class ChangeFeedEntry
{
    public long Seq { get; set; }
    public DateTime At { get; set; }
    /// <summary>Person ids, comma-separated; null when none (or when <see cref="Full"/>).</summary>
    public string? People { get; set; }
    public string? Opportunities { get; set; }
    /// <summary>Other tables written, comma-separated table names (accounts, campaigns, users, teams, custom_properties…).</summary>
    public string? Tables { get; set; }
    /// <summary>Too much changed to list (bulk loads): a reader rebuilds from the database.</summary>
    public bool Full { get; set; }
}

/// <summary>The single row whose counter every writing transaction bumps at commit: its row lock orders the commits.</summary>
public class ChangeFeedHead
{
    public int Id { get; set; }
    public long Seq { get; set; }
}

public class ChangeFeedConfiguration : IEntityTypeConfiguration<ChangeFeedEntry>, IEntityTypeConfiguration<ChangeFeedHead>
{
    public void Configure(EntityTypeBuilder<ChangeFeedEntry> b)
    {
        b.ToTable("change_feed");
        b.HasKey(x => x.Seq);
        b.Property(x => x.Seq).ValueGeneratedNever();
        b.Property(x => x.Tables).HasMaxLength(2000);
        b.HasIndex(x => x.At);
    }

    public void Configure(EntityTypeBuilder<ChangeFeedHead> b)
    {
        b.ToTable("change_feed_head");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasData(new ChangeFeedHead { Id = 1, Seq = 0 });
    }
}
