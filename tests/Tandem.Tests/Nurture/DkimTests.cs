using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Tandem.Tests.NurtureTracks;

/// <summary>DKIM signing (issue 17, Sending): with a key configured, what reaches the SMTP sink carries a signature that verifies against
/// the public half of that key, covers the unsubscribe headers, and breaks when the message is changed on the way.</summary>
public class DkimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Answers the DNS lookup a receiver would make (selector._domainkey.domain) with the generated key's TXT record.</summary>
    private sealed class OneKeyLocator(string domain, string selector, string txt) : DkimPublicKeyLocatorBase
    {
        public int Lookups { get; private set; }

        public override AsymmetricKeyParameter LocatePublicKey(string methods, string d, string s, CancellationToken cancellationToken = default)
        {
            Lookups++;
            if (!methods.Split(':').Contains("dns/txt") || d != domain || s != selector) throw new InvalidOperationException($"No key for {s}._domainkey.{d} ({methods}).");
            return GetPublicKey(txt);
        }

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string d, string s, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, d, s, cancellationToken));
    }

    [Fact]
    public async Task A_message_sent_with_a_configured_key_carries_a_dkim_signature_that_verifies_and_breaks_when_tampered()
    {
        using var rsa = RSA.Create(2048);
        var keyFile = Path.Combine(Path.GetTempPath(), $"tandem-dkim-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(keyFile, rsa.ExportRSAPrivateKeyPem(), Ct);
        try
        {
            await using var w = await NurtureWorld.StartAsync("sqlite", new()
            {
                ["Nurture:DkimKeyFile"] = keyFile, ["Nurture:DkimDomain"] = "acme.test", ["Nurture:DkimSelector"] = "tandem2026",
            });
            await w.TouchAsync("bea@fit.test", "WebVisit");
            await w.TrackAsync(NurtureWorld.Track("Not yet ready", inquiries: true));
            Assert.Equal(1, (await w.Runner.RunOnceAsync(Ct)).Sent);
            var mail = await w.Sink.WaitForMessageAsync();

            var message = mail.Message;
            var index = message.Headers.IndexOf(HeaderId.DkimSignature);
            Assert.True(index >= 0, "no DKIM-Signature header");
            var signature = message.Headers[index];
            var tags = signature.Value.Split(';').Select(t => t.Trim().Split('=', 2)).Where(t => t.Length == 2)
                .ToDictionary(t => t[0].Trim(), t => string.Concat(t[1].Where(c => !char.IsWhiteSpace(c))));
            Assert.Equal(("acme.test", "tandem2026", "rsa-sha256", "relaxed/relaxed"), (tags["d"], tags["s"], tags["a"], tags["c"]));
            var signed = tags["h"].ToLowerInvariant().Split(':');
            Assert.Contains("from", signed);
            Assert.Contains("list-unsubscribe", signed);
            Assert.Contains("list-unsubscribe-post", signed);

            var txt = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
            var locator = new OneKeyLocator("acme.test", "tandem2026", txt);
            var verifier = new DkimVerifier(locator);
            Assert.True(await verifier.VerifyAsync(message, signature, Ct), "the signature does not verify against the configured key");
            Assert.Equal(1, locator.Lookups);

            // Changed on the way: a different subject (a signed header) or another key both fail.
            var tampered = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.Data)), Ct);
            tampered.Subject = "You won a prize";
            Assert.False(await verifier.VerifyAsync(tampered, tampered.Headers[tampered.Headers.IndexOf(HeaderId.DkimSignature)], Ct));
            using var other = RSA.Create(2048);
            var wrongKey = new DkimVerifier(new OneKeyLocator("acme.test", "tandem2026", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(other.ExportSubjectPublicKeyInfo())));
            Assert.False(await wrongKey.VerifyAsync(message, signature, Ct));
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
}
