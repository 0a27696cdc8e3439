using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Properties;

/// <summary>
/// A field nobody planned for (a CRM export's "segment", "product", "lead type"…).
/// One row per (subject, name) rather than a JSON column, so reports can join and group by it
/// with plain SQL on both SQLite and PostgreSQL.
/// </summary>
public class CustomProperty
{
    public SubjectKind SubjectKind { get; set; }
    public int SubjectId { get; set; }
    public required string Name { get; set; }
    public required string Value { get; set; }
}

public class CustomPropertyConfiguration : IEntityTypeConfiguration<CustomProperty>
{
    public void Configure(EntityTypeBuilder<CustomProperty> b)
    {
        b.ToTable("custom_properties");
        b.HasKey(x => new { x.SubjectKind, x.SubjectId, x.Name });
        b.Property(x => x.SubjectKind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Value).HasMaxLength(4000);
        b.HasIndex(x => new { x.SubjectKind, x.Name, x.Value });
    }
}
