using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Opportunities;

public class Opportunity : IVersioned
{
    public int Id { get; set; }
    public string? ExternalId { get; set; }
    public required string Name { get; set; }
    public int? AccountId { get; set; }
    public int? PrimaryPersonId { get; set; }
    public int? OwnerId { get; set; }
    /// <summary>Minor units (cents) of <see cref="Currency"/>.</summary>
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "USD";
    /// <summary>The sales stage as the sales team names it ("Discovery", "Proposal"…); history in <see cref="OpportunityStageChange"/>.</summary>
    public required string SalesStage { get; set; }
    /// <summary>When the deal was created in the source system. Null when an export does not say
    /// (we never invent a date: it would distort pipeline-created figures).</summary>
    public DateTime? CreatedAt { get; set; }
    public DateTime? ExpectedCloseAt { get; set; }
    public Outcome Outcome { get; set; }
    public string? OutcomeReason { get; set; }
    public DateTime? ClosedAt { get; set; }
    /// <summary>When Tandem stored it.</summary>
    public DateTime RecordedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public class OpportunityStageChange
{
    public long Id { get; set; }
    public int OpportunityId { get; set; }
    public string? From { get; set; }
    public required string To { get; set; }
    public Outcome Outcome { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
}

public class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> b)
    {
        b.ToTable("opportunities");
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.SalesStage).HasMaxLength(60);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.OutcomeReason).HasMaxLength(300);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.ExternalId).IsUnique();
        b.HasIndex(x => x.AccountId);
        b.HasIndex(x => x.OwnerId);
        b.HasIndex(x => x.PrimaryPersonId);
        b.HasIndex(x => new { x.Outcome, x.ClosedAt });
        b.HasOne<Accounts.Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<People.Person>().WithMany().HasForeignKey(x => x.PrimaryPersonId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Users.User>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}

public class OpportunityStageChangeConfiguration : IEntityTypeConfiguration<OpportunityStageChange>
{
    public void Configure(EntityTypeBuilder<OpportunityStageChange> b)
    {
        b.ToTable("opportunity_stage_changes");
        b.Property(x => x.From).HasMaxLength(60);
        b.Property(x => x.To).HasMaxLength(60);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Actor).HasMaxLength(100);
        b.HasIndex(x => new { x.OpportunityId, x.At });
        b.HasOne<Opportunity>().WithMany().HasForeignKey(x => x.OpportunityId).OnDelete(DeleteBehavior.Cascade);
    }
}
