namespace Tandem.Features.Nurture;

/// <summary>Settings of section "Nurture" (docs/guide/nurture.md).</summary>
public sealed class NurtureOptions
{
    /// <summary>The address people reach Tandem at: unsubscribe and click links point here. HTTPS in production.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";
    /// <summary>The company calendar's zone: waits count its business days (Monday to Friday, less company holidays).</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Sending caps; 0 is no cap. A token bucket per instance plus a rolling window over what every instance sent.</summary>
    public int PerHour { get; set; }
    public int PerDay { get; set; }
    public int BatchSize { get; set; } = 200;
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
    public bool RunInBackground { get; set; } = true;
    /// <summary>When true only people with consent Granted are mailed; otherwise everyone except those who withdrew it.</summary>
    public bool RequireConsent { get; set; }
    /// <summary>The mailbox behind the List-Unsubscribe mailto; unsubscribe@ the sender's domain when not set.</summary>
    public string? UnsubscribeMailbox { get; set; }
    /// <summary>DKIM: a PEM private key file, the signing domain and the selector. Messages are signed when all three are set.</summary>
    public string? DkimKeyFile { get; set; }
    public string? DkimDomain { get; set; }
    public string? DkimSelector { get; set; }

    public string? Problem()
    {
        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
            return $"Nurture:PublicUrl '{PublicUrl}' is not an absolute http(s) address.";
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) is null) return $"Nurture:TimeZone '{TimeZone}' is not an IANA time zone such as Europe/Berlin.";
        if (PerHour < 0 || PerDay < 0) return "Nurture:PerHour and Nurture:PerDay are 0 (no cap) or more.";
        if (BatchSize is < 1 or > 5000) return "Nurture:BatchSize is 1 to 5000.";
        if ((DkimKeyFile is null) != (DkimDomain is null) || (DkimKeyFile is null) != (DkimSelector is null))
            return "Nurture:DkimKeyFile, DkimDomain and DkimSelector are set together.";
        if (DkimKeyFile is not null && !File.Exists(DkimKeyFile)) return $"Nurture:DkimKeyFile '{DkimKeyFile}' does not exist.";
        return null;
    }
}

/// <summary>
/// Tokens refill at a steady rate up to a burst; a send takes one. Pure given the times passed in, so the per-hour cap spreads
/// sends over the hour instead of spending the hour's budget in its first second.
/// </summary>
public sealed class TokenBucket(double perSecond, double capacity)
{
    private readonly double _capacity = capacity;
    private double _tokens = capacity;
    private DateTime _at;

    public int Take(int wanted, DateTime now)
    {
        if (_at != default) _tokens = Math.Min(_capacity, _tokens + (now - _at).TotalSeconds * perSecond);
        _at = now;
        var n = (int)Math.Min(wanted, Math.Floor(_tokens));
        _tokens -= n;
        return Math.Max(0, n);
    }

    /// <summary>How many may go now: the smaller of what the bucket and the rolling windows allow (0 cap = unlimited).</summary>
    public static int Budget(int wanted, int perHour, int sentLastHour, int perDay, int sentLastDay)
    {
        var n = wanted;
        if (perHour > 0) n = Math.Min(n, perHour - sentLastHour);
        if (perDay > 0) n = Math.Min(n, perDay - sentLastDay);
        return Math.Max(0, n);
    }
}
