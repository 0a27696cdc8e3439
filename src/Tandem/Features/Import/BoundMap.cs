namespace Tandem.Features.Import;

/// <summary>A field an importer understands. Required fields need a column (or a default) and a value in every row.
/// Fields sharing a <see cref="OneOf"/> group need at least one of them mapped (a person: an external id, an email, or both).</summary>
public sealed record FieldDef(string Name, bool Required = false, string? OneOf = null);

/// <summary>Where one field's value comes from in a row.</summary>
internal sealed record FieldSource(int? Index, string? Column);

/// <summary>The mapping applied to one file's header: which column feeds which field, checked before any row is read.</summary>
internal sealed class BoundMap
{
    public required ImportMap Map { get; init; }
    public required string File { get; init; }
    public required string[] Header { get; init; }
    public Dictionary<string, FieldSource> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Custom property name → column index.</summary>
    public List<(string Name, int Index)> Properties { get; } = [];

    public static BoundMap? Bind(string[] header, ImportMap map, IReadOnlyList<FieldDef> fields, ImportResult result)
    {
        var b = new BoundMap { Map = map, File = result.File, Header = header };
        var known = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        // A column with no header name (a spreadsheet's trailing one) is ignored; CsvSource has warned about it.
        for (var i = 0; i < header.Length; i++)
            if (header[i].Length > 0 && !index.TryAdd(header[i], i)) result.FileError(1, $"column {i + 1}: the header names '{header[i]}' twice.");

        foreach (var column in map.Columns.Keys)
            if (!index.ContainsKey(column) && !map.OptionalColumns)
                result.FileError(1, $"the mapping names column '{column}', which is not in the header ({Named(header)}).");
        if (map.ExternalId is { } ext && !index.ContainsKey(ext))
            result.FileError(1, $"the mapping's externalId column '{ext}' is not in the header ({Named(header)}).");

        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0) continue;
            var targets = map.Columns.Count > 0 || map.ExternalId is not null ? map.TargetsOf(header[i]).ToList() : [];
            if (string.Equals(map.ExternalId, header[i], StringComparison.OrdinalIgnoreCase)) targets.Add("externalId");
            // Without an explicit entry a header that spells a field name feeds it ("Deal_Stage" → dealStage).
            if (targets.Count == 0 && !map.Columns.ContainsKey(header[i])
                && fields.FirstOrDefault(f => ImportMap.Squash(f.Name) == ImportMap.Squash(header[i])) is { } auto)
                targets.Add(auto.Name);
            if (targets.Count == 0 && !map.Columns.ContainsKey(header[i]))
                targets.Add(map.UnmappedToProperties ? ImportMap.PropertyPrefix + header[i] : ImportMap.Ignore);

            foreach (var t in targets.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (string.Equals(t, ImportMap.Ignore, StringComparison.OrdinalIgnoreCase)) continue;
                if (t.StartsWith(ImportMap.PropertyPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    var name = t[ImportMap.PropertyPrefix.Length..].Trim();
                    if (name.Length is 0 or > 100) result.FileError(1, $"column {i + 1} ({header[i]}): property name '{name}' must be 1 to 100 characters.");
                    else b.Properties.Add((name, i));
                }
                else if (!known.TryGetValue(t, out var f))
                    result.FileError(1, $"column {i + 1} ({header[i]}): '{t}' is not a field; known fields: {string.Join(", ", fields.Select(x => x.Name))}, or properties.NAME, or ignore.");
                else if (b.Fields.TryGetValue(f.Name, out var other))
                    result.FileError(1, $"field '{f.Name}' is fed by two columns: '{other.Column}' and '{header[i]}'.");
                else b.Fields[f.Name] = new FieldSource(i, header[i]);
            }
        }

        foreach (var f in fields.Where(f => !b.Fields.ContainsKey(f.Name)))
        {
            if (map.Defaults.ContainsKey(f.Name)) b.Fields[f.Name] = new FieldSource(null, null);
            else if (f.Required) result.FileError(1, MissingColumn(f.Name, header));
        }
        foreach (var group in fields.Where(f => f.OneOf is not null).GroupBy(f => f.OneOf))
            if (!group.Any(f => b.Fields.ContainsKey(f.Name)))
                result.FileError(1, $"missing a column for {string.Join(" or ", group.Select(f => $"'{f.Name}'"))}: map the column that holds either one "
                    + $"(\"columns\": {{ \"your_column\": \"{group.First().Name}\" }}). The header has: {Named(header)}.");
        // A typo in a key ("industy") would otherwise be silently ignored.
        foreach (var k in map.Values.Keys.Concat(map.DateFormats.Keys).Concat(map.Scale.Keys))
            if (!known.ContainsKey(k) && !k.StartsWith(ImportMap.PropertyPrefix, StringComparison.OrdinalIgnoreCase))
                result.FileError(0, $"the mapping's values, dateFormats or scale name '{k}', which is not a field; known fields: {string.Join(", ", fields.Select(x => x.Name))}.");
        foreach (var d in map.Defaults.Keys.Where(k => !known.ContainsKey(k)))
            result.FileError(0, $"the mapping gives a default for '{d}', which is not a field; known fields: {string.Join(", ", fields.Select(x => x.Name))}.");
        return result.Fatal ? null : b;
    }

    /// <summary>Fields that tell records apart: one value for every row cannot be right, so no default is suggested.</summary>
    internal static readonly HashSet<string> Identities = new(["externalId", "email", "eventId", "name"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The fix that applies: a default when one value for every row makes sense (a stage, a type), else a column.</summary>
    private static string MissingColumn(string field, string[] header)
    {
        var column = $"map the column that holds it (\"columns\": {{ \"your_column\": \"{field}\" }}) or name a column '{field}'";
        var fix = Identities.Contains(field)
            ? char.ToUpperInvariant(column[0]) + column[1..]
            : $"If every row has the same {field}, give it in the mapping (\"defaults\": {{ \"{field}\": \"…\" }}); otherwise {column}";
        return $"missing required column for '{field}'. {fix}. The header has: {Named(header)}.";
    }

    private static string Named(string[] header) => string.Join(", ", header.Where(h => h.Length > 0));
}
