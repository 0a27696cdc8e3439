using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tandem.Features.Access;

/// <summary>
/// One failed sign-in from one client address: the per-address half of the lockout (<see cref="SignInThrottle"/>,
/// decision 0051). In the database, not in memory, so every server behind a load balancer counts the same failures.
/// Rows older than the window are pruned.
/// </summary>
public class SignInFailure
{
    public long Id { get; set; }
    /// <summary>The client's IP address as the server sees it (behind the proxy: the forwarded one).</summary>
    public required string ClientAddress { get; set; }
    public DateTime At { get; set; }
}

public class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> b)
    {
        b.ToTable("sign_in_failures");
        b.Property(x => x.ClientAddress).HasMaxLength(64);
        b.HasIndex(x => new { x.ClientAddress, x.At });
        b.HasIndex(x => x.At);
    }
}
