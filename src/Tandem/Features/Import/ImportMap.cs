using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Features.Import;

/// <summary>
/// How one CSV export maps onto Tandem's fields: read from a JSON file (docs/guide/import.md).
/// Everything is optional; without a map, headers that spell a field name map to it.
/// </summary>
public sealed class ImportMap
{
    public const string Ignore = "ignore";
    public const string PropertyPrefix = "properties.";

    /// <summary>Column → one field, several fields (a JSON array), "properties.NAME", or "ignore".</summary>
    public Dictionary<string, JsonElement> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The column holding the source system's id; shorthand for mapping it to "externalId" too.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Per field: source value → Tandem value ("Engaging" → "Open", "GTXPro" → "GTX Pro").</summary>
    public Dictionary<string, Dictionary<string, string>> Values { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per field: a .NET date format ("yyyy-MM-dd", "dd/MM/yyyy HH:mm"); <see cref="DateFormat"/> for all others.</summary>
    public Dictionary<string, string> DateFormats { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string? DateFormat { get; set; }

    /// <summary>Per field: a factor the number is multiplied by (revenue "in millions" → 1000000).</summary>
    public Dictionary<string, decimal> Scale { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per field: the value used when the column is missing or the cell is empty ("currency": "USD").</summary>
    public Dictionary<string, string> Defaults { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Channels the file's values need that the company does not have yet: key → label and group. Added by the
    /// import, in its transaction (decision 0100).</summary>
    public Dictionary<string, ChannelSpec> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The field separator; null: sniffed from the header line (comma, semicolon, tab or pipe).</summary>
    public string? Delimiter { get; set; }

    /// <summary>"utf-8" (default), "latin1", or any name .NET knows (windows-1252…).</summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>"properties" (default): columns no field claims become custom properties named after their header; "ignore": dropped.</summary>
    public string Unmapped { get; set; } = "properties";

    /// <summary>What the mapping is for ("people", "opportunities"…); an import of another kind is refused. Presets set it.</summary>
    public string? Entity { get; set; }

    /// <summary>True: a mapped column the file lacks is skipped instead of stopping the import. Presets set it, because one
    /// product's exports differ by edition and by the columns a user picked ("Record ID" or "Contact ID").</summary>
    public bool OptionalColumns { get; set; }

    /// <summary>In a values map, the key that stands for every value the map does not name.</summary>
    public const string AnyOther = "*";

    [JsonIgnore] public bool UnmappedToProperties => !string.Equals(Unmapped, Ignore, StringComparison.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// Reads a mapping. Every problem in it, however odd, is an <see cref="ImportMapException"/> naming the file: a mapping
    /// is user input, and user input never gets a stack trace (decision 0055).
    /// </summary>
    public static ImportMap Parse(string json, string source)
    {
        ImportMap map;
        try
        {
            map = JsonSerializer.Deserialize<ImportMap>(json, Json) ?? throw new ImportMapException($"{source}: the mapping is empty.");
        }
        catch (JsonException e)
        {
            throw new ImportMapException($"{source}:{(e.LineNumber ?? 0) + 1}: the mapping is not valid: {e.Message}");
        }
        // The serializer builds case-sensitive dictionaries; headers, field names and source values are matched ignoring
        // case, so keys that differ only in case ("Google" and "google") are folded into one, or refused when they disagree.
        // "values": null and the like read as absent rather than crash later.
        map.Columns ??= []; map.Values ??= []; map.DateFormats ??= []; map.Scale ??= []; map.Defaults ??= [];
        map.Columns = Fold(map.Columns, source, "columns", JsonElement.DeepEquals);
        map.Values = Fold(map.Values.ToDictionary(kv => kv.Key, kv => Fold(kv.Value ?? [], source, $"values.{kv.Key}", string.Equals)), source, "values",
            (a, b) => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value));
        map.DateFormats = Fold(map.DateFormats, source, "dateFormats", string.Equals);
        map.Scale = Fold(map.Scale, source, "scale", (a, b) => a == b);
        map.Defaults = Fold(map.Defaults, source, "defaults", string.Equals);
        foreach (var (column, v) in map.Columns)
            if (!IsTarget(v))
                throw new ImportMapException($"{source}: columns.{column}: expected a field name or an array of field names, e.g. \"{column}\": \"name\" or [\"salesStage\", \"outcome\"].");
        if (map.Delimiter is { Length: not 1 } d && d != "\\t")
            throw new ImportMapException($"{source}: delimiter '{d}' must be one character (\",\", \";\", \"\\t\" or \"|\"), or left out to detect it.");
        if (map.Delimiter == "\\t") map.Delimiter = "\t";
        return map;
    }

    private static bool IsTarget(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => true,
        JsonValueKind.Array => v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String),
        _ => false,
    };

    /// <summary>One case-insensitive dictionary; two keys equal but for case are one entry when they say the same thing.</summary>
    private static Dictionary<string, T> Fold<T>(Dictionary<string, T> entries, string source, string where, Func<T, T, bool> same)
    {
        var folded = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        var firstKey = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in entries)
        {
            if (!folded.TryGetValue(key, out var earlier)) { folded[key] = value; firstKey[key] = key; }
            else if (!same(earlier, value))
            {
                throw new ImportMapException($"{source}: {where} has the keys '{firstKey[key]}' and '{key}', which differ only in case and are matched "
                    + "ignoring case, but map to different values; keep one of them.");
            }
        }
        return folded;
    }

    public static ImportMap Load(string path)
    {
        if (!File.Exists(path)) throw new ImportMapException($"Mapping file '{path}' does not exist.");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportMapException($"Mapping file '{path}' cannot be read: {e.Message}");
        }
        return Parse(text, Path.GetFileName(path));
    }

    /// <summary>
    /// This mapping laid over <paramref name="user"/>'s: the user's entries win, column by column and value by value, so one
    /// can start from a preset and change one column (decision 0053).
    /// </summary>
    public ImportMap Overlay(ImportMap user)
    {
        static Dictionary<string, T> Merge<T>(Dictionary<string, T> a, Dictionary<string, T> b)
        {
            var merged = new Dictionary<string, T>(a, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in b) merged[k] = v;
            return merged;
        }
        var values = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in Values.Keys.Union(user.Values.Keys, StringComparer.OrdinalIgnoreCase))
            values[field] = Merge(Values.GetValueOrDefault(field) ?? [], user.Values.GetValueOrDefault(field) ?? []);
        return new ImportMap
        {
            Columns = Merge(Columns, user.Columns), ExternalId = user.ExternalId ?? ExternalId, Values = values,
            DateFormats = Merge(DateFormats, user.DateFormats), DateFormat = user.DateFormat ?? DateFormat, Scale = Merge(Scale, user.Scale),
            Defaults = Merge(Defaults, user.Defaults), Delimiter = user.Delimiter ?? Delimiter,
            Encoding = user.Encoding != "utf-8" ? user.Encoding : Encoding, Unmapped = user.Unmapped != "properties" ? user.Unmapped : Unmapped,
            Entity = user.Entity ?? Entity, OptionalColumns = OptionalColumns || user.OptionalColumns,
        };
    }

    /// <summary>The targets of one mapped column.</summary>
    public IReadOnlyList<string> TargetsOf(string column)
    {
        if (!Columns.TryGetValue(column, out var v)) return [];
        return v.ValueKind switch
        {
            JsonValueKind.String => [v.GetString()!],
            JsonValueKind.Array => v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : "").ToList(),
            _ => [],
        };
    }

    /// <summary>"deal_stage", "Deal Stage" and "dealstage" all name the field "dealStage".</summary>
    public static string Squash(string s) => Features.Channels.ChannelSet.Squash(s);
}

/// <summary>A channel a mapping adds: its label (the key when left out) and roll-up group.</summary>
public sealed record ChannelSpec(string? Label, string? Group);

public sealed class ImportMapException(string message) : Exception(message);
