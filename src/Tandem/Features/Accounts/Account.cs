using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Accounts;

public enum AccountStatus { Active, OutOfBusiness, Disqualified }

public class Account : IVersioned
{
    public int Id { get; set; }
    /// <summary>The id in the system this record came from (CRM export); re-imports update by it.</summary>
    public string? ExternalId { get; set; }
    public required string Name { get; set; }
    /// <summary>Lower-case email/web domain; people are matched to the account by it.</summary>
    public string? Domain { get; set; }
    public string? Industry { get; set; }
    public int? EmployeeCount { get; set; }
    /// <summary>Whole units of <see cref="Currency"/>; company revenue needs no cents.</summary>
    public long? AnnualRevenue { get; set; }
    public string Currency { get; set; } = "USD";
    public string? Country { get; set; }
    public string? Region { get; set; }
    public int? OwnerId { get; set; }
    public AccountStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.ToTable("accounts");
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.Property(x => x.Domain).HasMaxLength(255);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.ExternalId).IsUnique();
        b.HasIndex(x => x.Domain);
        b.HasIndex(x => x.Name);
        b.HasOne<Users.User>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}
