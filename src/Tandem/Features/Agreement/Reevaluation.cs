using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Agreement;

/// <summary>
/// Everyone re-evaluated under a version that just became active (decision 0085): one row per activation, written in the
/// activation's transaction, worked through in batches of people by id by the background pass (Lifecycle's
/// <c>ReevaluationRunner</c>), which records its progress here. <see cref="Version"/> is the claim: a batch is done by the
/// instance whose conditional update bumped it, in the transaction that qualifies the batch, so two servers never do one twice.
/// </summary>
public class Reevaluation
{
    public int Id { get; set; }
    public int DefinitionId { get; set; }
    /// <summary>People when the run started (the denominator of its progress).</summary>
    public int Total { get; set; }
    /// <summary>People re-evaluated so far.</summary>
    public int Done { get; set; }
    /// <summary>The last person id done: the next batch starts after it.</summary>
    public int LastPersonId { get; set; }
    /// <summary>People who met the version now and became MQLs (routed), so far.</summary>
    public int Qualified { get; set; }
    /// <summary>The what-if's prediction: people the version gains over the previous one in the last year who were still
    /// waiting (Inquiry, or Nurture) when it became active. Null until worked out, or when there was no previous version.</summary>
    public int? Predicted { get; set; }
    public int? PreviousDefinitionId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>Why it ended early, in words (a newer version replaced this one); null when it ran to the end.</summary>
    public string? StoppedBecause { get; set; }
    public int Version { get; set; }

    /// <summary>The run for an activation. <paramref name="previousId"/> is the version it replaced, for the prediction.</summary>
    public static Reevaluation For(LeadDefinition activated, int? previousId, DateTime now) =>
        new() { DefinitionId = activated.Id, PreviousDefinitionId = previousId, CreatedAt = now };
}

public class ReevaluationConfiguration : IEntityTypeConfiguration<Reevaluation>
{
    public void Configure(EntityTypeBuilder<Reevaluation> b)
    {
        b.ToTable("reevaluations");
        b.HasIndex(x => x.DefinitionId).IsUnique();
        b.Property(x => x.StoppedBecause).HasMaxLength(300);
        b.HasOne<LeadDefinition>().WithMany().HasForeignKey(x => x.DefinitionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<LeadDefinition>().WithMany().HasForeignKey(x => x.PreviousDefinitionId).OnDelete(DeleteBehavior.Restrict);
    }
}
