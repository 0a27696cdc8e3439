using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Features.Plan;

public enum PlanStatus { Draft, Approved, Superseded }

/// <summary>
/// One version of a revenue plan for a period and currency. A draft may be edited; it becomes the plan of record when a
/// marketing user and a sales manager approve its exact content hash (as lead definitions do), and it is superseded, never
/// deleted, when a revision of the same period is approved. One approved plan per period and currency.
/// </summary>
public class RevenuePlan : IVersioned
{
    public int Id { get; set; }
    /// <summary>Plan #1, #2, …, across periods.</summary>
    public int Number { get; set; }
    public PlanStatus Status { get; set; }
    /// <summary>"2027-Q1" or "2027".</summary>
    public required string Period { get; set; }
    public required string Currency { get; set; }
    public long TargetMinor { get; set; }
    public string? Note { get; set; }
    /// <summary>The <see cref="PlanContent"/> as JSON.</summary>
    public required string Content { get; set; }
    public required string ContentHash { get; set; }
    public int? BasedOnId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public DateTime? SupersededAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string Name => $"plan #{Number} ({Period}, {Currency})";

    public PlanContent Parsed() => PlanContent.FromJson(Content);
}

/// <summary>An approval, rejection or comment on a plan draft, of one exact content hash. Kept for ever.</summary>
public class PlanReview : IReview
{
    public int Id { get; set; }
    public int PlanId { get; set; }
    public int UserId { get; set; }
    public ReviewSide Side { get; set; }
    public ReviewDecision Decision { get; set; }
    public required string ContentHash { get; set; }
    public string? Comment { get; set; }
    public DateTime At { get; set; }
}

public class RevenuePlanConfiguration : IEntityTypeConfiguration<RevenuePlan>, IEntityTypeConfiguration<PlanReview>
{
    public void Configure(EntityTypeBuilder<RevenuePlan> b)
    {
        b.ToTable("revenue_plans");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Period).HasMaxLength(7);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.Property(x => x.CreatedBy).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Name);
        b.HasIndex(x => x.Number).IsUnique();
        b.HasIndex(x => new { x.Period, x.Currency }).IsUnique().HasFilter("\"Status\" = 'Approved'").HasDatabaseName("IX_revenue_plans_one_approved");
        b.HasOne<RevenuePlan>().WithMany().HasForeignKey(x => x.BasedOnId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<PlanReview> b)
    {
        b.ToTable("plan_reviews");
        b.Property(x => x.Side).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Decision).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.Property(x => x.Comment).HasMaxLength(2000);
        b.HasIndex(x => new { x.PlanId, x.At });
        b.HasOne<RevenuePlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Users.User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
