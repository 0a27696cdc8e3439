using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Import;

/// <summary>
/// A CSV file uploaded on the import page, kept in the database between the page's steps (map, check, import) so any
/// instance behind a load balancer can answer the next step. Removed once imported, or after a day (decision 0054).
/// </summary>
public class ImportUpload
{
    public const int MaxBytes = 25 * 1024 * 1024;

    public Guid Id { get; set; }
    public required string FileName { get; set; }
    public required byte[] Content { get; set; }
    public int? UploadedByUserId { get; set; }
    public DateTime UploadedAt { get; set; }
}

public class ImportUploadConfiguration : IEntityTypeConfiguration<ImportUpload>
{
    public void Configure(EntityTypeBuilder<ImportUpload> b)
    {
        b.ToTable("import_uploads");
        b.Property(x => x.FileName).HasMaxLength(255);
        b.HasIndex(x => x.UploadedAt);
    }
}
