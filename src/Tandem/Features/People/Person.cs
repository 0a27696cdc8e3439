using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.People;

/// <summary>One human: a lead or a contact. <see cref="Stage"/> is a cache of the last
/// <see cref="StageChange"/>; it is only ever written together with one.</summary>
public class Person : IVersioned
{
    public int Id { get; set; }
    public string? ExternalId { get; set; }
    /// <summary>Normalized with <see cref="EmailAddress.Normalize"/>; unique when present. A person is known by their
    /// external id, their email, or both (decision 0095): exports keyed by an id have no email.</summary>
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Title { get; set; }
    public string? Phone { get; set; }
    public int? AccountId { get; set; }
    public Channel? SourceChannel { get; set; }
    public int? SourceCampaignId { get; set; }
    public LifecycleStage Stage { get; set; }
    public DateTime StageChangedAt { get; set; }
    /// <summary>For Nurture: when the person may be re-engaged.</summary>
    public DateTime? ReengageAt { get; set; }
    public int? OwnerId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    /// <summary>The name, else the email, else the external id: never blank, never a bare database id unless nothing else is known.</summary>
    public string DisplayName => Names.Person(FirstName, LastName, Email, ExternalId, Id);
}

public class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.ToTable("people");
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.Property(x => x.FirstName).HasMaxLength(200);
        b.Property(x => x.LastName).HasMaxLength(200);
        b.Property(x => x.Title).HasMaxLength(300);
        b.Property(x => x.Phone).HasMaxLength(60);
        b.Property(x => x.Stage).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.DisplayName);
        b.HasIndex(x => x.Email).IsUnique();
        b.HasIndex(x => x.ExternalId).IsUnique();
        b.HasIndex(x => x.AccountId);
        b.HasIndex(x => x.OwnerId);
        b.HasIndex(x => new { x.Stage, x.StageChangedAt });
        b.HasOne<Accounts.Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(x => x.SourceCampaignId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Users.User>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}
