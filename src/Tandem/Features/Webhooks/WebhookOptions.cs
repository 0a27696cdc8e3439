namespace Tandem.Features.Webhooks;

/// <summary>Delivery settings (configuration section "Webhooks"); the defaults suit most receivers.</summary>
public sealed class WebhookOptions
{
    /// <summary>Attempts before a delivery goes to the dead-letter list.</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Wait after the first failure; doubles after each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A receiver that has not answered by then is cut off and the attempt counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often the background loop looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int BatchSize { get; set; } = 50;
    /// <summary>Off in tests that drive <see cref="WebhookDispatcher.DeliverDueAsync"/> themselves.</summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>Wait before the next attempt after <paramref name="failedAttempts"/> failures: 30s, 1m, 2m, 4m … capped.</summary>
    public TimeSpan BackoffAfter(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstRetryDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>Null when valid, else what is wrong (startup fails with it).</summary>
    public string? Problem() =>
        MaxAttempts < 1 ? "Webhooks:MaxAttempts must be at least 1."
        : Timeout <= TimeSpan.Zero ? "Webhooks:Timeout must be positive."
        : FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay ? "Webhooks:FirstRetryDelay must be positive and at most MaxRetryDelay."
        : PollInterval <= TimeSpan.Zero ? "Webhooks:PollInterval must be positive."
        : BatchSize < 1 ? "Webhooks:BatchSize must be at least 1."
        : null;
}
