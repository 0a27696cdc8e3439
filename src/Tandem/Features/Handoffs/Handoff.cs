using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Handoffs;

/// <summary>Where sales stands on a lead: still to decide, accepted (SAL), turned into an opportunity (SQL) or rejected.</summary>
public enum HandoffState { Open, Accepted, Converted, Rejected }

/// <summary>How the SLA looks now (<see cref="SlaClock.Status"/>): open and none close, one about to pass, one missed; decided
/// with every promise kept, or decided after one was missed ("met late (breached)").</summary>
public enum SlaStatus { OnTrack, DueSoon, Breached, Met, MetLate }

public enum AttemptKind { Call, Email, Meeting, Social }

/// <summary>The three promises of the sales SLA; their values are bits of <see cref="Handoff.BreachedMask"/>.</summary>
public enum SlaDeadline { FirstTouch = 1, Attempts = 2, Decision = 4 }

/// <summary>
/// One MQL handed to sales: who has it and why (the routing rule), the SLA terms it runs under and the deadlines they give
/// in the assignee's business calendar (stored in UTC, so they survive restarts), the attempts made and the decision.
/// </summary>
public class Handoff : IVersioned, ISlaTimes
{
    public int Id { get; set; }
    public int PersonId { get; set; }
    /// <summary>Null only when nobody at all could take leads (no active sales user or admin); <see cref="Rule"/> then says so.</summary>
    public int? AssigneeId { get; set; }
    public int? TeamId { get; set; }
    /// <summary>What decided: account-owner, known-opportunity, round-robin, fallback:team-manager, fallback:admin, unassigned.</summary>
    public required string Rule { get; set; }
    /// <summary>The decision in words ("Territory 'EMEA software' → team EMEA; least recently assigned of 4").</summary>
    public required string RuleNote { get; set; }
    public int? TerritoryId { get; set; }
    /// <summary>The definition version whose MQL this is (its SLA terms apply).</summary>
    public int? DefinitionId { get; set; }
    public DateTime MqlAt { get; set; }
    public DateTime AssignedAt { get; set; }
    public double FirstTouchHours { get; set; }
    public int MinAttempts { get; set; }
    public DateTime FirstTouchDue { get; set; }
    public DateTime AttemptsDue { get; set; }
    public DateTime DecideDue { get; set; }
    public DateTime? FirstTouchAt { get; set; }
    public int AttemptCount { get; set; }
    /// <summary>When the <see cref="MinAttempts"/>-th attempt was logged.</summary>
    public DateTime? AttemptsMetAt { get; set; }
    public HandoffState State { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? RejectReason { get; set; }
    public string? RejectNote { get; set; }
    /// <summary>The account's open opportunity this lead was attached to when it arrived, or the one sales converted it into.</summary>
    public int? OpportunityId { get; set; }
    public bool KnownOpportunity { get; set; }
    /// <summary>When the known opportunity's owner was told (null: still to tell).</summary>
    public DateTime? OwnerToldAt { get; set; }
    /// <summary>The earliest deadline still to watch; null when none is left. The sweeper reads this (indexed).</summary>
    public DateTime? NextDeadline { get; set; }
    /// <summary>Deadlines already recorded as breached (<see cref="SlaDeadline"/> bits), so each is recorded once.</summary>
    public int BreachedMask { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>A call, email, meeting or social touch by sales on a handed-off lead.</summary>
public class HandoffAttempt
{
    public long Id { get; set; }
    public int HandoffId { get; set; }
    public AttemptKind Kind { get; set; }
    public DateTime At { get; set; }
    public string? Note { get; set; }
    public required string Actor { get; set; }
}

/// <summary>A deadline that passed unmet, recorded once (unique per handoff and deadline), then told to the rep and the manager.</summary>
public class SlaBreach
{
    public long Id { get; set; }
    public int HandoffId { get; set; }
    public SlaDeadline Deadline { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime RecordedAt { get; set; }
    public int? AssigneeId { get; set; }
    public DateTime? NotifiedAt { get; set; }
    public DateTime? EscalatedAt { get; set; }
    public int? EscalatedTo { get; set; }
}

public class HandoffConfiguration : IEntityTypeConfiguration<Handoff>, IEntityTypeConfiguration<HandoffAttempt>, IEntityTypeConfiguration<SlaBreach>
{
    public void Configure(EntityTypeBuilder<Handoff> b)
    {
        b.ToTable("handoffs");
        b.Property(x => x.Rule).HasMaxLength(40);
        b.Property(x => x.RuleNote).HasMaxLength(400);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.DecidedBy).HasMaxLength(100);
        b.Property(x => x.RejectReason).HasMaxLength(60);
        b.Property(x => x.RejectNote).HasMaxLength(2000);
        b.Property(x => x.Version).IsConcurrencyToken();
        // At most one open handoff per person: a second MQL while one is open would split the SLA in two.
        b.HasIndex(x => x.PersonId).IsUnique().HasFilter("\"State\" = 'Open'").HasDatabaseName("IX_handoffs_one_open");
        b.HasIndex(x => new { x.PersonId, x.AssignedAt });
        b.HasIndex(x => new { x.AssigneeId, x.State });
        b.HasIndex(x => x.NextDeadline);
        b.HasIndex(x => x.AssignedAt);
        b.HasOne<People.Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Users.User>().WithMany().HasForeignKey(x => x.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Users.Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Opportunities.Opportunity>().WithMany().HasForeignKey(x => x.OpportunityId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<HandoffAttempt> b)
    {
        b.ToTable("handoff_attempts");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.Actor).HasMaxLength(100);
        b.HasIndex(x => new { x.HandoffId, x.At });
        b.HasOne<Handoff>().WithMany().HasForeignKey(x => x.HandoffId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<SlaBreach> b)
    {
        b.ToTable("sla_breaches");
        b.Property(x => x.Deadline).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.HandoffId, x.Deadline }).IsUnique();
        b.HasIndex(x => x.NotifiedAt);
        b.HasIndex(x => x.EscalatedAt);
        b.HasOne<Handoff>().WithMany().HasForeignKey(x => x.HandoffId).OnDelete(DeleteBehavior.Cascade);
    }
}
