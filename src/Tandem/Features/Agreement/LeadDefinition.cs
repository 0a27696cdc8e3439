using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Agreement;

public enum DefinitionStatus { Draft, Active, Retired, Withdrawn }

/// <summary>
/// One version of the unified lead definition. A draft may be edited; once active its content never changes again,
/// and it is retired (never deleted) when the next version is activated. Exactly one version is active at a time.
/// </summary>
public class LeadDefinition : IVersioned
{
    public int Id { get; set; }
    /// <summary>v1, v2, …: what an MQL's cause names ("definition:v2").</summary>
    public int Number { get; set; }
    public DefinitionStatus Status { get; set; }
    /// <summary>What this version changes, in the author's words.</summary>
    public string? Note { get; set; }
    /// <summary>The <see cref="DefinitionContent"/> as JSON.</summary>
    public required string Content { get; set; }
    public required string ContentHash { get; set; }
    public int? BasedOnId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime? RetiredAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string Cause => $"definition:v{Number}";

    public DefinitionContent Parsed() => DefinitionContent.FromJson(Content);
}

public enum ReviewSide { Marketing, Sales }

public enum ReviewDecision { Approve, Reject, Comment }

/// <summary>An approval, rejection or comment on a draft, of one exact content hash. Kept for ever.</summary>
public class DefinitionReview : IReview
{
    public int Id { get; set; }
    public int DefinitionId { get; set; }
    public int UserId { get; set; }
    public ReviewSide Side { get; set; }
    public ReviewDecision Decision { get; set; }
    public required string ContentHash { get; set; }
    public string? Comment { get; set; }
    public DateTime At { get; set; }
}

public class LeadDefinitionConfiguration : IEntityTypeConfiguration<LeadDefinition>, IEntityTypeConfiguration<DefinitionReview>
{
    public void Configure(EntityTypeBuilder<LeadDefinition> b)
    {
        b.ToTable("lead_definitions");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.Property(x => x.CreatedBy).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Cause);
        b.HasIndex(x => x.Number).IsUnique();
        b.HasIndex(x => x.Status).IsUnique().HasFilter("\"Status\" = 'Active'").HasDatabaseName("IX_lead_definitions_one_active");
        b.HasOne<LeadDefinition>().WithMany().HasForeignKey(x => x.BasedOnId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<DefinitionReview> b)
    {
        b.ToTable("definition_reviews");
        b.Property(x => x.Side).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Decision).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.Property(x => x.Comment).HasMaxLength(2000);
        b.HasIndex(x => new { x.DefinitionId, x.At });
        b.HasOne<LeadDefinition>().WithMany().HasForeignKey(x => x.DefinitionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Users.User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
