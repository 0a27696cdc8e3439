using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Plan;

public enum SnapshotKind { Auto, Manual }

/// <summary>
/// The validated pipeline as it stood at one moment: each rep's open deals with a close date in the quarter, in the committed
/// stages. Append-only: written once, never updated or deleted. One <see cref="SnapshotKind.Auto"/> snapshot per quarter (a
/// unique index), taken at the quarter's first midnight in the company zone by whichever instance gets there first.
/// </summary>
public class PipelineSnapshot
{
    public int Id { get; set; }
    /// <summary>"2027-Q1".</summary>
    public required string Period { get; set; }
    public SnapshotKind Kind { get; set; }
    public DateTime TakenAt { get; set; }
    public required string TakenBy { get; set; }
    public string? Note { get; set; }
}

/// <summary>One deal in a snapshot, copied as it stood (the opportunity may change or disappear later).</summary>
public class SnapshotDeal
{
    public long Id { get; set; }
    public int SnapshotId { get; set; }
    public int OpportunityId { get; set; }
    public int? OwnerId { get; set; }
    public required string Name { get; set; }
    public required string Stage { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public DateTime? ExpectedCloseAt { get; set; }
}

public class PipelineSnapshotConfiguration : IEntityTypeConfiguration<PipelineSnapshot>, IEntityTypeConfiguration<SnapshotDeal>
{
    public void Configure(EntityTypeBuilder<PipelineSnapshot> b)
    {
        b.ToTable("pipeline_snapshots");
        b.Property(x => x.Period).HasMaxLength(7);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.TakenBy).HasMaxLength(100);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.HasIndex(x => x.Period).IsUnique().HasFilter("\"Kind\" = 'Auto'").HasDatabaseName("IX_pipeline_snapshots_one_auto");
        b.HasIndex(x => new { x.Period, x.TakenAt });
    }

    public void Configure(EntityTypeBuilder<SnapshotDeal> b)
    {
        b.ToTable("snapshot_deals");
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.Stage).HasMaxLength(60);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.HasIndex(x => new { x.SnapshotId, x.OwnerId });
        b.HasOne<PipelineSnapshot>().WithMany().HasForeignKey(x => x.SnapshotId).OnDelete(DeleteBehavior.Restrict);
    }
}
