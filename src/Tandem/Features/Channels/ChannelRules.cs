using Tandem.Data;

namespace Tandem.Features.Channels;

/// <summary>
/// What a new or renamed channel must satisfy, as (field, message) pairs for the API, the settings page, the CLI and the
/// import mapping alike. A key or label may not read as another channel's (ignoring case, spaces, dashes and
/// underscores), because import values are matched that way and must land on one channel only.
/// </summary>
public static class ChannelRules
{
    public static List<(string Field, string Message)> CheckNew(ChannelSet set, string? key, string? label, string? group)
    {
        var errors = new List<(string, string)>();
        var k = key?.Trim() ?? "";
        if (k.Length == 0) errors.Add(("key", "'key' is required: the value records store, such as 'paid_social'."));
        else if (k.Length > Channel.MaxKey || !k.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            errors.Add(("key", $"'{key}' is not a key: use 1 to {Channel.MaxKey} letters, digits, dashes and underscores, such as '{ChannelSet.Suggest(k)}'."));
        else if (set.Find(k) is { } taken)
            errors.Add(("key", $"'{k}' already names the channel '{taken.Label}' (key '{taken.Channel.Key}'); map your value to it instead."));
        if (set.All.Count >= ChannelSet.Max) errors.Add(("key", $"A company can have at most {ChannelSet.Max} channels; rename an unused one instead."));
        errors.AddRange(CheckLabelAndGroup(set, null, label ?? k, group));
        return errors;
    }

    public static List<(string Field, string Message)> CheckEdit(ChannelSet set, Channel self, string? label, string? group) =>
        CheckLabelAndGroup(set, self, label, group);

    private static List<(string, string)> CheckLabelAndGroup(ChannelSet set, Channel? self, string? label, string? group)
    {
        var errors = new List<(string, string)>();
        if (label is not null)
        {
            var l = label.Trim();
            if (l.Length is 0 or > ChannelRowConfiguration.MaxLabel || l.Contains('\0'))
                errors.Add(("label", $"A label is 1 to {ChannelRowConfiguration.MaxLabel} characters, with no NUL character."));
            else if (set.Find(l) is { } other && other.Channel != self)
                errors.Add(("label", $"'{l}' reads as the channel '{other.Label}' (key '{other.Channel.Key}'): pick a label nobody could mistake for it."));
        }
        if (group?.Trim().Length > ChannelRowConfiguration.MaxGroup || group?.Contains('\0') == true)
            errors.Add(("group", $"A group is at most {ChannelRowConfiguration.MaxGroup} characters, with no NUL character."));
        return errors;
    }

    /// <summary>The row for a channel that passed <see cref="CheckNew"/>: the label defaults to the key.</summary>
    public static ChannelRow NewRow(string key, string? label, string? group) =>
        new() { Key = key.Trim(), Label = (string.IsNullOrWhiteSpace(label) ? key : label).Trim(), Group = Group(group) };

    /// <summary>An empty group means none.</summary>
    public static string? Group(string? group) => string.IsNullOrWhiteSpace(group) ? null : group.Trim();
}
