using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Handoffs;

/// <summary>
/// A territory: accounts matching every criterion given (null matches anything) go to <see cref="TeamId"/>.
/// Rules are tried in <see cref="Position"/> order; the first match wins. A rule with no criteria is a catch-all.
/// </summary>
public class TerritoryRule
{
    public int Id { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }
    public string? Country { get; set; }
    public string? Region { get; set; }
    public string? Industry { get; set; }
    /// <summary>Size band: employees from <see cref="MinEmployees"/> to <see cref="MaxEmployees"/>, both inclusive.</summary>
    public int? MinEmployees { get; set; }
    public int? MaxEmployees { get; set; }
    public int TeamId { get; set; }
}

/// <summary>A user's place in round robin: away or not, how many open leads they may hold, and when they last got one.</summary>
public class RoutingSeat
{
    public int UserId { get; set; }
    public bool IsAway { get; set; }
    /// <summary>Open handoffs this user may hold at once; null for no limit.</summary>
    public int? Capacity { get; set; }
    public DateTime? LastAssignedAt { get; set; }
}

/// <summary>A reason sales may give for rejecting a lead. Admins add to the catalog; codes are never removed, only retired.</summary>
public class RejectReason
{
    public required string Code { get; set; }
    public required string Label { get; set; }
    /// <summary>True: the lead goes back to Nurture with a re-engage date; false: Disqualified.</summary>
    public bool Recycles { get; set; }
    public bool IsActive { get; set; } = true;
    public int Position { get; set; }
}

/// <summary>
/// Marketing's credit on an opportunity that already existed when one of its account's people became an MQL. Stored and
/// shown on the opportunity and the lead; never hidden, so "we already knew them" cannot erase marketing's part.
/// </summary>
public class OpportunityInfluence
{
    public long Id { get; set; }
    public int OpportunityId { get; set; }
    public int PersonId { get; set; }
    public int? HandoffId { get; set; }
    public Handoff? Handoff { get; set; }
    public DateTime At { get; set; }
    /// <summary>Why the person qualified ("Fast track: demo request with fit A").</summary>
    public string? Note { get; set; }
}

public class RoutingConfiguration : IEntityTypeConfiguration<TerritoryRule>, IEntityTypeConfiguration<RoutingSeat>,
    IEntityTypeConfiguration<RejectReason>, IEntityTypeConfiguration<OpportunityInfluence>
{
    public static readonly RejectReason[] Seed =
    [
        new() { Code = "bad-contact-data", Label = "Bad contact data", Position = 1 },
        new() { Code = "out-of-business", Label = "Out of business", Position = 2 },
        new() { Code = "not-ideal-customer", Label = "Not our ideal customer", Position = 3 },
        new() { Code = "student-or-job-seeker", Label = "Student or job seeker", Position = 4 },
        new() { Code = "competitor", Label = "Competitor", Position = 5 },
        new() { Code = "duplicate", Label = "Duplicate", Position = 6 },
        new() { Code = "existing-customer-or-opportunity", Label = "Existing customer or known opportunity", Position = 7 },
        new() { Code = "no-budget-or-timing", Label = "No budget or timing now", Recycles = true, Position = 8 },
    ];

    public const string NoBudgetOrTiming = "no-budget-or-timing";

    public void Configure(EntityTypeBuilder<TerritoryRule> b)
    {
        b.ToTable("territory_rules");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Country).HasMaxLength(100);
        b.Property(x => x.Region).HasMaxLength(100);
        b.Property(x => x.Industry).HasMaxLength(200);
        b.HasIndex(x => x.Position);
        b.HasOne<Users.Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RoutingSeat> b)
    {
        b.ToTable("routing_seats");
        b.HasKey(x => x.UserId);
        b.Property(x => x.UserId).ValueGeneratedNever();
        b.HasOne<Users.User>().WithOne().HasForeignKey<RoutingSeat>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RejectReason> b)
    {
        b.ToTable("reject_reasons");
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasMaxLength(60);
        b.Property(x => x.Label).HasMaxLength(200);
        b.HasData(Seed.Select(s => new RejectReason { Code = s.Code, Label = s.Label, Recycles = s.Recycles, IsActive = true, Position = s.Position }));
    }

    public void Configure(EntityTypeBuilder<OpportunityInfluence> b)
    {
        b.ToTable("opportunity_influences");
        b.Property(x => x.Note).HasMaxLength(400);
        b.HasIndex(x => new { x.OpportunityId, x.At });
        b.HasIndex(x => x.PersonId);
        b.HasOne<Opportunities.Opportunity>().WithMany().HasForeignKey(x => x.OpportunityId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<People.Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Handoff).WithMany().HasForeignKey(x => x.HandoffId).OnDelete(DeleteBehavior.SetNull);
    }
}
