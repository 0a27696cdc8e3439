using Tandem.Data;
using Tandem.Features.Channels;

namespace Tandem.Features.Import;

/// <summary>
/// The channels a mapping's <c>"channels"</c> section adds, so an export with its own source vocabulary
/// (<c>organic_search</c>, <c>other_publicities</c>) loads in one step. A key the company already has is left as it is;
/// a new one must pass the same rules as one added by an admin, or the import stops before any row.
/// </summary>
internal static class MappedChannels
{
    public static async Task<ChannelSet> AddAsync(TandemDb db, ImportMap map, ImportResult result, CancellationToken ct)
    {
        var channels = await ChannelSet.LoadAsync(db, ct);
        if (map.Channels.Count == 0) return channels;
        var added = new List<string>();
        foreach (var (key, spec) in map.Channels)
        {
            if (channels.Find(key) is not null) continue;
            var problems = ChannelRules.CheckNew(channels, key, spec?.Label, spec?.Group);
            foreach (var (field, message) in problems) result.FileError(0, $"the mapping's channel '{key}' ({field}): {message}");
            if (problems.Count > 0) continue;
            db.Channels.Add(ChannelRules.NewRow(key, spec?.Label, spec?.Group));
            await db.SaveChangesAsync(ct);
            channels = await ChannelSet.LoadAsync(db, ct);
            added.Add(key.Trim());
        }
        if (added.Count > 0) result.Warn(0, null, $"Channels added from the mapping: {string.Join(", ", added)}.");
        return channels;
    }
}
