using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Cadence;

/// <summary>
/// One revision of one ISO week's sync record: the JSON document exactly as written and its SHA-256. Append-only: a
/// correction is a new row with the next revision and a reason; no row is ever updated or deleted. The unique
/// (week, revision) index is what keeps the scheduled write to one even when several instances try at once.
/// </summary>
public class SyncRecord
{
    public int Id { get; set; }
    /// <summary>"2026-W48".</summary>
    public required string Week { get; set; }
    public int Revision { get; set; }
    public required string Document { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>Why this revision exists; null for the first.</summary>
    public string? Reason { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

public class SyncRecordConfiguration : IEntityTypeConfiguration<SyncRecord>
{
    public void Configure(EntityTypeBuilder<SyncRecord> b)
    {
        b.ToTable("sync_records");
        b.Property(x => x.Week).HasMaxLength(8);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.Property(x => x.CreatedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.Week, x.Revision }).IsUnique();
    }
}
