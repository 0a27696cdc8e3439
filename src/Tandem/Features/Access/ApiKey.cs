using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Access;

/// <summary>An integration's credential. Only a SHA-256 hash of the secret is stored; the secret is shown once.</summary>
public class ApiKey : IVersioned
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the key ("tdm_AbC1…"), so people can tell keys apart without the secret.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public KeyScope Scope { get; set; }
    public int? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public bool IsUsableAt(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

public class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Prefix).HasMaxLength(20);
        b.Property(x => x.Hash).HasMaxLength(64);
        b.Property(x => x.Scope).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Hash).IsUnique();
        b.HasOne<Users.User>().WithMany().HasForeignKey(x => x.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
