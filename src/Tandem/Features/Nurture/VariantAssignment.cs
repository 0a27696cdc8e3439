using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Tandem.Features.Nurture;

/// <summary>
/// Which variant a person gets (methods: Nurture): bucket = HMAC-SHA256(seed, person) mod 100, the seed naming the track and
/// step. No state and no randomness, so every instance and every restart gives a person the same variant. Buckets below the
/// hold-out are the control (no message); the rest are split evenly among the variants.
/// </summary>
public static class VariantAssignment
{
    public const string Control = "control";

    public static int Bucket(string seed, int personId)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(seed), Encoding.UTF8.GetBytes(personId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % 100);
    }

    public static string Seed(int trackId, string stepKey) => $"tandem-nurture:{trackId}:{stepKey}";

    public static string Assign(string seed, int personId, IReadOnlyList<string> variants, int holdoutPercent)
    {
        var bucket = Bucket(seed, personId);
        if (bucket < holdoutPercent) return Control;
        return variants[(bucket - holdoutPercent) * variants.Count / (100 - holdoutPercent)];
    }
}
