using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Users;

public class Team
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public TeamKind Kind { get; set; }
}

/// <summary>A member of the revenue team. Working hours and time zone drive SLA clocks later.</summary>
public class User : IVersioned
{
    public int Id { get; set; }
    public string? ExternalId { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public int? TeamId { get; set; }
    public Role Role { get; set; }
    public int? ManagerId { get; set; }
    /// <summary>IANA zone id, validated with NodaTime.</summary>
    public string TimeZone { get; set; } = "UTC";
    public TimeOnly WorkdayStart { get; set; } = new(9, 0);
    public TimeOnly WorkdayEnd { get; set; } = new(17, 0);
    /// <summary>Comma-separated ISO day names, e.g. "Mon,Tue,Wed,Thu,Fri".</summary>
    public string WorkingDays { get; set; } = "Mon,Tue,Wed,Thu,Fri";
    public bool IsActive { get; set; } = true;
    /// <summary>Sign-in (ASP.NET Core Identity). A user without a password hash cannot sign in: imported sales agents, say.</summary>
    public string? PasswordHash { get; set; }
    public string? SecurityStamp { get; set; }
    public int AccessFailedCount { get; set; }
    public DateTime? LockoutEnd { get; set; }
    /// <summary>Made by `serve --demo` only; never created any other way.</summary>
    public bool IsDemo { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.ToTable("teams");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => x.Name).IsUnique();
    }
}

public class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.Property(x => x.WorkingDays).HasMaxLength(40);
        b.Property(x => x.PasswordHash).HasMaxLength(200);
        b.Property(x => x.SecurityStamp).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Email).IsUnique();
        b.HasIndex(x => x.ExternalId).IsUnique();
        b.HasIndex(x => x.Name);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.ManagerId).OnDelete(DeleteBehavior.Restrict);
    }
}
