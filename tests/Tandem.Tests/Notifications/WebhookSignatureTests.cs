using System.Security.Cryptography;
using System.Text;
using Tandem.Features.Webhooks;

namespace Tandem.Tests.Notifications;

public class WebhookSignatureTests
{
    private const string Secret = "whsec_test";
    private const string Body = """{"id":"evt_1","type":"sla.breached","data":{"personId":7}}""";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_signature_is_hmac_sha256_over_timestamp_dot_body_in_lower_hex()
    {
        var t = Now.ToUnixTimeSeconds();
        var expected = Convert.ToHexString(new HMACSHA256(Encoding.UTF8.GetBytes(Secret)).ComputeHash(Encoding.UTF8.GetBytes($"{t}.{Body}"))).ToLowerInvariant();
        Assert.Equal($"t={t},v1={expected}", WebhookSignature.HeaderValue(Secret, Now, Body));
    }

    [Fact]
    public void A_receiver_accepts_the_signed_body_and_refuses_tampering_wrong_secrets_and_old_timestamps()
    {
        var header = WebhookSignature.HeaderValue(Secret, Now, Body);
        var tolerance = TimeSpan.FromMinutes(5);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(4), tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, Body.Replace("7", "8"), Now, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, Now, tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(6), tolerance)); // a replayed capture
        Assert.False(WebhookSignature.Verify(Secret, header.Replace("t=", "t=1"), Body, Now, tolerance)); // time not the signed one
        Assert.False(WebhookSignature.Verify(Secret, null, Body, Now, tolerance));
        Assert.False(WebhookSignature.Verify(Secret, "garbage", Body, Now, tolerance));
        // During a secret rotation a receiver may list several signatures; any valid one will do.
        var v1 = header.Split("v1=")[1];
        Assert.True(WebhookSignature.Verify(Secret, $"t={Now.ToUnixTimeSeconds()},v1=deadbeef,v1={v1}", Body, Now, tolerance));
    }

    [Fact]
    public void Secrets_are_random_and_url_safe()
    {
        var a = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", a);
        Assert.True(a.Length >= 48);
        Assert.DoesNotContain('+', a);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }

    [Fact]
    public void Event_filters_match_exact_types_families_and_everything()
    {
        Assert.True(WebhookEvents.Matches("*", "sla.breached"));
        Assert.True(WebhookEvents.Matches("lead.rejected, sla.*", "sla.breached"));
        Assert.False(WebhookEvents.Matches("sla.*", "slack.posted"));
        Assert.False(WebhookEvents.Matches("lead.rejected", "sla.breached"));
        Assert.Null(WebhookEvents.Validate("sla.*,lead.accepted"));
        Assert.NotNull(WebhookEvents.Validate("SLA Breached"));
        Assert.NotNull(WebhookEvents.Validate(""));
    }

    [Fact]
    public void Backoff_doubles_from_the_first_delay_up_to_the_cap()
    {
        var o = new WebhookOptions { FirstRetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromMinutes(5) };
        Assert.Equal([30, 60, 120, 240, 300, 300], Enumerable.Range(1, 6).Select(n => o.BackoffAfter(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(5), o.BackoffAfter(1000));
        Assert.Contains("MaxAttempts", new WebhookOptions { MaxAttempts = 0 }.Problem());
        Assert.Null(new WebhookOptions().Problem());
    }
}
