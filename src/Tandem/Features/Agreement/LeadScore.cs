using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Agreement;

/// <summary>
/// A person's running score and grade under one definition version: the <see cref="ScoreState"/> stored, so the next
/// touch folds in without re-reading the history. Derived data: a row under an older version is rebuilt from the
/// touches on the person's next touch. Not audited (it changes with every touch; the touches are the record).
/// </summary>
public class LeadScore
{
    public int PersonId { get; set; }
    public int DefinitionId { get; set; }
    public double Score { get; set; }
    public DateTime ScoredAt { get; set; }
    /// <summary>"rule:period:used" for each capped rule with points used, comma-separated.</summary>
    public string? Caps { get; set; }
    public int FitPoints { get; set; }
    public Grade Grade { get; set; }
}

public class LeadScoreConfiguration : IEntityTypeConfiguration<LeadScore>
{
    public void Configure(EntityTypeBuilder<LeadScore> b)
    {
        b.ToTable("lead_scores");
        b.HasKey(x => x.PersonId);
        b.Property(x => x.PersonId).ValueGeneratedNever();
        b.Property(x => x.Grade).HasConversion<string>().HasMaxLength(1);
        b.Property(x => x.Caps).HasMaxLength(2000);
        b.HasIndex(x => new { x.Grade, x.Score });
        b.HasOne<People.Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<LeadDefinition>().WithMany().HasForeignKey(x => x.DefinitionId).OnDelete(DeleteBehavior.Restrict);
    }
}
