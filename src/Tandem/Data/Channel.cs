using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Data;

/// <summary>
/// A marketing channel, named by its key in the <c>channels</c> table (decision 0100: channels are data that an admin
/// extends and renames, not an enum). The key is what touches, people and campaigns store; it never changes, while the
/// label people read can. The named instances are the seeded channels that code refers to (a click is Email, a call is
/// Outbound); every other channel exists only as a row. Whether a key is known is a question for <c>ChannelSet</c>.
/// </summary>
[JsonConverter(typeof(ChannelJson))]
public readonly record struct Channel(string Key) : IParsable<Channel>
{
    public const int MaxKey = 20;

    public static readonly Channel PaidSearch = new("PaidSearch"), Organic = new("Organic"), Social = new("Social"),
        Email = new("Email"), Webinar = new("Webinar"), Event = new("Event"), Content = new("Content"), Referral = new("Referral"),
        Partner = new("Partner"), Outbound = new("Outbound"), Other = new("Other"), Unknown = new("Unknown"), Direct = new("Direct"),
        Display = new("Display");

    public override string ToString() => Key ?? "";

    public static Channel Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var c) ? c : throw new FormatException($"'{s}' is not a channel key.");

    /// <summary>Any non-blank text up to <see cref="MaxKey"/> characters without a NUL (a text no database query refuses);
    /// minimal APIs bind query strings through this.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Channel result)
    {
        result = default;
        if (string.IsNullOrWhiteSpace(s) || s.Trim().Length > MaxKey || s.Contains('\0')) return false;
        result = new Channel(s.Trim());
        return true;
    }
}

/// <summary>A channel is a plain string in JSON: its key.</summary>
public sealed class ChannelJson : JsonConverter<Channel>
{
    // Any scalar is read as it was sent, so a bad value is one item's field error ("'77' is not a known channel…") when
    // the taxonomy is checked, not a refusal of the whole request.
    public override Channel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => new Channel(reader.GetString()!.Trim()),
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => new Channel(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
        _ => throw new JsonException("A channel is a key, as listed by GET /api/channels."),
    };

    public override void Write(Utf8JsonWriter writer, Channel value, JsonSerializerOptions options) => writer.WriteStringValue(value.Key);
}
