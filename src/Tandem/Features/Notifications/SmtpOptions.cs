namespace Tandem.Features.Notifications;

/// <summary>How TLS is used on the SMTP connection.</summary>
public enum SmtpTls
{
    /// <summary>Plain connection; only for a relay on the same host or a test sink.</summary>
    None,
    /// <summary>Upgrade with STARTTLS if the server offers it (the usual port 25 relay).</summary>
    StartTlsWhenAvailable,
    /// <summary>Require STARTTLS (port 587 submission).</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>Configuration section "Smtp" (environment: TANDEM_SMTP__HOST, TANDEM_SMTP__PORT, …). No Host: email is only logged.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>The sender address, such as tandem@example.com.</summary>
    public string? From { get; set; }
    public string FromName { get; set; } = "Tandem";
    public SmtpTls Tls { get; set; } = SmtpTls.StartTls;
    /// <summary>Optional; with no user name Tandem does not authenticate.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>Null when usable, else which setting is wrong (startup fails with it).</summary>
    public string? Problem() =>
        !IsConfigured ? null
        : Port is < 1 or > 65535 ? $"Smtp:Port {Port} is not a TCP port (1–65535)."
        : !Recipients.IsAddress(From) ? $"Smtp:From '{From}' is not an email address; set the address Tandem sends from."
        : !string.IsNullOrEmpty(Password) && string.IsNullOrWhiteSpace(Username) ? "Smtp:Password is set but Smtp:Username is not."
        : Timeout <= TimeSpan.Zero ? "Smtp:Timeout must be positive."
        : null;
}
