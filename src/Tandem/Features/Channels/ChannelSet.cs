using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Channels;

/// <summary>A channel as people see it: its key, its label and its roll-up group.</summary>
public sealed record ChannelInfo(Channel Channel, string Label, string? Group);

/// <summary>
/// The channel taxonomy at one moment (decision 0100), read once per request, import, batch or Insight build: it is a
/// table of a few dozen rows. Channels are numbered by their row order, which never changes because rows are never
/// deleted, so Insight can keep one byte per touch. Text is matched to a channel by key, then label, ignoring case,
/// spaces, dashes and underscores, so <c>paid_search</c>, <c>Paid Search</c> and <c>PaidSearch</c> are one channel.
/// </summary>
public sealed class ChannelSet
{
    /// <summary>The most channels a company can have: Insight keeps a channel in a byte, and 255 means none.</summary>
    public const int Max = 250;
    public const byte None = byte.MaxValue;

    private readonly Dictionary<string, byte> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte> _bySquashedKey = [];
    private readonly Dictionary<string, byte> _bySquashedLabel = [];

    public ChannelSet(IEnumerable<ChannelInfo> channels)
    {
        All = [.. channels.Take(Max)];
        for (var i = 0; i < All.Count; i++)
        {
            var code = (byte)i;
            _byKey.TryAdd(All[i].Channel.Key, code);
            _bySquashedKey.TryAdd(Squash(All[i].Channel.Key), code);
            _bySquashedLabel.TryAdd(Squash(All[i].Label), code);
        }
    }

    /// <summary>Every channel, in code order.</summary>
    public IReadOnlyList<ChannelInfo> All { get; }

    /// <summary>The seeded taxonomy, for pure tests and tools that run without a database.</summary>
    public static ChannelSet Default { get; } = new(ChannelRowConfiguration.Seed.Select(Info));

    public static async Task<ChannelSet> LoadAsync(TandemDb db, CancellationToken ct) =>
        new((await db.Channels.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct)).Select(Info));

    private static ChannelInfo Info(ChannelRow r) => new(new Channel(r.Key), r.Label, r.Group);

    /// <summary>The channel's number, or <see cref="None"/> when it is not in this set.</summary>
    public byte Code(Channel c) => c.Key is { } k && _byKey.TryGetValue(k, out var code) ? code : None;

    public byte Code(Channel? c) => c is { } v ? Code(v) : None;

    public ChannelInfo? this[byte code] => code < All.Count ? All[code] : null;

    public bool Contains(Channel c) => Code(c) != None;

    /// <summary>The channel that <paramref name="text"/> names, by key or label, or null.</summary>
    public ChannelInfo? Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (_byKey.TryGetValue(t, out var code)) return All[code];
        var s = Squash(t);
        return _bySquashedKey.TryGetValue(s, out code) || _bySquashedLabel.TryGetValue(s, out code) ? All[code] : null;
    }

    public string Label(Channel c) => this[Code(c)]?.Label ?? c.Key;

    public string Label(Channel? c) => c is { } v ? Label(v) : "No channel";

    /// <summary>The label of the channel with this key; any other text (such as "Unknown") as it is.</summary>
    public string Label(string key) => _byKey.TryGetValue(key, out var code) ? All[code].Label : key;

    public string? Group(Channel c) => this[Code(c)]?.Group;

    /// <summary>The group names in first-use order.</summary>
    public IEnumerable<string> Groups => All.Select(c => c.Group).OfType<string>().Distinct();

    public string Keys => string.Join(", ", All.Select(c => c.Channel.Key));

    /// <summary>Why <paramref name="text"/> is not a channel, with the known ones and how to add one.</summary>
    public string Unknown(string text) =>
        $"'{text}' is not a known channel. Known channels: {Keys}. An admin adds one under Settings, Channels, "
        + $"or with `tandem channels add {Suggest(text)} --label \"{text.Trim()}\"`.";

    /// <summary>A key made from free text: letters and digits, words joined by underscores.</summary>
    public static string Suggest(string text)
    {
        var words = new string([.. text.Trim().Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var key = string.Join('_', words);
        return key.Length == 0 ? "my_channel" : key[..Math.Min(key.Length, Channel.MaxKey)];
    }

    public static string Squash(string s) => new([.. s.Where(c => c is not ('_' or ' ' or '-')).Select(char.ToLowerInvariant)]);
}
