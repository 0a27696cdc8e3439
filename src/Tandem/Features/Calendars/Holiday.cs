using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Calendars;

/// <summary>A company holiday: nobody's SLA clock runs on this local date, in each user's own time zone.</summary>
public class Holiday
{
    public int Id { get; set; }
    public DateOnly Date { get; set; }
    public required string Name { get; set; }
}

public class HolidayConfiguration : IEntityTypeConfiguration<Holiday>
{
    public void Configure(EntityTypeBuilder<Holiday> b)
    {
        b.ToTable("holidays");
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => x.Date).IsUnique();
    }
}
