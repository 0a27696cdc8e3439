using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Activity;

/// <summary>One row per change, append-only: the person's timeline, the audit trail and an
/// analytics input. Nothing in the product updates or deletes these rows.</summary>
public class ActivityEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public SubjectKind SubjectKind { get; set; }
    public int SubjectId { get; set; }
    /// <summary>Dotted verb, e.g. "person.created", "person.updated", "stage.changed", "import.completed".</summary>
    public required string Kind { get; set; }
    /// <summary>JSON object with the specifics (changed fields with old and new values, counts…).</summary>
    public string? Detail { get; set; }
}

public class ActivityEntryConfiguration : IEntityTypeConfiguration<ActivityEntry>
{
    public void Configure(EntityTypeBuilder<ActivityEntry> b)
    {
        b.ToTable("activity");
        b.Property(x => x.Actor).HasMaxLength(100);
        b.Property(x => x.SubjectKind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Kind).HasMaxLength(60);
        b.HasIndex(x => new { x.SubjectKind, x.SubjectId, x.At });
        b.HasIndex(x => x.At);
        b.HasIndex(x => new { x.Actor, x.At });
    }
}
