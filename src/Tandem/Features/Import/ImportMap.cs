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

    public string Delimiter { get; set; } = ",";

    /// <summary>"utf-8" (default), "latin1", or any name .NET knows (windows-1252…).</summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>"properties" (default): columns no field claims become custom properties named after their header; "ignore": dropped.</summary>
    public string Unmapped { get; set; } = "properties";

    [JsonIgnore] public bool UnmappedToProperties => !string.Equals(Unmapped, Ignore, StringComparison.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static ImportMap Parse(string json, string source)
    {
        try
        {
            var map = JsonSerializer.Deserialize<ImportMap>(json, Json) ?? throw new ImportMapException($"{source}: the mapping is empty.");
            // The serializer builds case-sensitive dictionaries; headers and field names are matched ignoring case.
            map.Columns = new(map.Columns, StringComparer.OrdinalIgnoreCase);
            map.Values = map.Values.ToDictionary(kv => kv.Key, kv => new Dictionary<string, string>(kv.Value, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
            map.DateFormats = new(map.DateFormats, StringComparer.OrdinalIgnoreCase);
            map.Scale = new(map.Scale, StringComparer.OrdinalIgnoreCase);
            map.Defaults = new(map.Defaults, StringComparer.OrdinalIgnoreCase);
            return map;
        }
        catch (JsonException e)
        {
            throw new ImportMapException($"{source}:{(e.LineNumber ?? 0) + 1}: the mapping is not valid: {e.Message}");
        }
    }

    public static ImportMap Load(string path) => File.Exists(path)
        ? Parse(File.ReadAllText(path), Path.GetFileName(path))
        : throw new ImportMapException($"Mapping file '{path}' does not exist.");

    /// <summary>The targets of one mapped column.</summary>
    public IReadOnlyList<string> TargetsOf(string column)
    {
        if (!Columns.TryGetValue(column, out var v)) return [];
        return v.ValueKind switch
        {
            JsonValueKind.String => [v.GetString()!],
            JsonValueKind.Array => v.EnumerateArray().Select(x => x.GetString() ?? "").ToList(),
            _ => throw new ImportMapException($"Column '{column}': expected a field name or an array of field names."),
        };
    }

    /// <summary>"deal_stage", "Deal Stage" and "dealstage" all name the field "dealStage".</summary>
    public static string Squash(string s) => new(s.Where(c => c is not ('_' or ' ' or '-')).Select(char.ToLowerInvariant).ToArray());
}

public sealed class ImportMapException(string message) : Exception(message);
