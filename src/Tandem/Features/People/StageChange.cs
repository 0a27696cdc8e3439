using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.People;

/// <summary>A move between lifecycle stages. Kept for ever; never updated or deleted.</summary>
public class StageChange
{
    public long Id { get; set; }
    public int PersonId { get; set; }
    /// <summary>Set only when the person is new in the same save, so EF fills in <see cref="PersonId"/>.</summary>
    public Person? Person { get; set; }
    /// <summary>Null for the first stage a person enters.</summary>
    public LifecycleStage? From { get; set; }
    public LifecycleStage To { get; set; }
    public DateTime At { get; set; }
    /// <summary>Why it happened, machine-readable: "manual", "import", "touch", "definition:v3", "sla:accept"…</summary>
    public required string Cause { get; set; }
    /// <summary>Who did it: "user:12", "api-key:3", "cli", "system".</summary>
    public required string Actor { get; set; }
    /// <summary>Required for Nurture and Disqualified.</summary>
    public string? Reason { get; set; }
    public string? Note { get; set; }
    /// <summary>For a move to Nurture: when the person may qualify again. Kept here so history can be replayed.</summary>
    public DateTime? ReengageAt { get; set; }
}

public class StageChangeConfiguration : IEntityTypeConfiguration<StageChange>
{
    public void Configure(EntityTypeBuilder<StageChange> b)
    {
        b.ToTable("stage_changes");
        b.Property(x => x.From).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.To).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Cause).HasMaxLength(100);
        b.Property(x => x.Actor).HasMaxLength(100);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.HasIndex(x => new { x.PersonId, x.At });
        b.HasIndex(x => new { x.To, x.At });
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}
