using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tandem.Data;

namespace Tandem.Api;

/// <summary>Healthy when the database answers a query.</summary>
public sealed class DatabaseHealthCheck(TandemDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy(db.Database.ProviderName)
            : HealthCheckResult.Unhealthy("The database does not answer.");
}
