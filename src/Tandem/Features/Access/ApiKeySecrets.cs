using System.Security.Cryptography;
using System.Text;

namespace Tandem.Features.Access;

/// <summary>
/// Keys are 32 random bytes, so a plain SHA-256 is enough to store them: unlike passwords they cannot be guessed
/// from a dictionary, and a fast hash lets every request be checked with one indexed lookup.
/// </summary>
public static class ApiKeySecrets
{
    public const string Marker = "tdm_";

    public static string NewSecret() => Marker + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string PrefixOf(string secret) => secret[..Math.Min(12, secret.Length)];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
