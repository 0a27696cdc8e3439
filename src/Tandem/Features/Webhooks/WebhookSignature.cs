using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tandem.Features.Webhooks;

/// <summary>
/// <c>Tandem-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>.
/// The timestamp is signed with the body so a captured request cannot be replayed later with a new time;
/// receivers reject timestamps outside a tolerance (docs/guide/notifications.md shows a receiver).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Tandem-Signature";

    public static string Compute(string secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));
        return Convert.ToHexStringLower(mac);
    }

    public static string HeaderValue(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds();
        return $"t={t},v1={Compute(secret, t, body)}";
    }

    /// <summary>What a receiver does: parse, check the age, compare in constant time. Any v1 may match (secret rotation).</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header)) return false;
        long? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return false;
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) t = parsed;
            else if (key == "v1") signatures.Add(value);
        }
        if (t is null || signatures.Count == 0) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - t.Value) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, t.Value, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }

    /// <summary>A new signing secret: 32 random bytes, URL-safe.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
