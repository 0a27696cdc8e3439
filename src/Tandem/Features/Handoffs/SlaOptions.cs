namespace Tandem.Features.Handoffs;

/// <summary>Breach sweeper settings (configuration section "Sla").</summary>
public sealed class SlaOptions
{
    /// <summary>How often the sweeper looks for passed deadlines. It also runs once at start, so a deadline passed while
    /// the server was down is found at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>A breach still unresolved this long after the rep was told goes to their manager.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromHours(4);
    public int BatchSize { get; set; } = 500;
    /// <summary>Off in tests that drive <see cref="SlaSweeper.RunOnceAsync"/> themselves.</summary>
    public bool RunInBackground { get; set; } = true;

    public string? Problem() =>
        PollInterval <= TimeSpan.Zero ? "Sla:PollInterval must be positive."
        : EscalateAfter < TimeSpan.Zero ? "Sla:EscalateAfter cannot be negative."
        : BatchSize < 1 ? "Sla:BatchSize must be at least 1."
        : null;
}
