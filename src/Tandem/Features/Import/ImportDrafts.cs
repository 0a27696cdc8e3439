using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tandem.Features.Import;

/// <summary>An upload as the import page shows it: what it holds, its columns, the first rows, and where each column goes.</summary>
public sealed record ImportDraft(Guid Id, string FileName, ImportEntity Entity, string? Preset, string[] Header, IReadOnlyList<string[]> Sample,
    string[] Targets, IReadOnlyList<string> Warnings);

/// <summary>
/// The import page's rules (decision 0054): propose where each column goes (the preset's entry, else the field the header
/// spells, else a custom property), turn the page's choices into a mapping, and run the importer over the upload. Column
/// targets are written as the mapping file writes them: a field, several fields joined by commas, <c>properties.NAME</c>
/// or <c>ignore</c>.
/// </summary>
public static class ImportDrafts
{
    public const int SampleRows = 5;

    public static IReadOnlyList<string> FieldsOf(ImportEntity entity) => [.. Importer.FieldsOf(entity).Select(f => f.Name)];

    public static string[] Propose(string[] header, ImportEntity entity, ImportMap? preset)
    {
        var fields = FieldsOf(entity);
        return [.. header.Select(column =>
            preset?.TargetsOf(column) is { Count: > 0 } t ? string.Join(",", t)
            : fields.FirstOrDefault(f => ImportMap.Squash(f) == ImportMap.Squash(column)) is { } f ? f
            : column.Length == 0 ? ImportMap.Ignore : ImportMap.PropertyPrefix + column)];
    }

    /// <summary>The mapping the page's choices make: the preset's values, formats and defaults, with every column said explicitly.</summary>
    public static ImportMap ToMap(ImportDraft d)
    {
        var map = d.Preset is null ? new ImportMap() : ImportPresets.Load(d.Preset);
        map.Columns = new(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < d.Header.Length; i++)
        {
            if (d.Header[i].Length == 0 || map.Columns.ContainsKey(d.Header[i])) continue;
            var targets = (i < d.Targets.Length ? d.Targets[i] : ImportMap.Ignore).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            map.Columns[d.Header[i]] = targets.Length == 1 ? JsonSerializer.SerializeToElement(targets[0]) : JsonSerializer.SerializeToElement(targets);
        }
        map.ExternalId = null;
        map.OptionalColumns = false;
        map.Entity = d.Entity.ToString().ToLowerInvariant();
        return map;
    }

    /// <summary>The mapping as a file the command line takes (<c>tandem import … --map FILE</c>).</summary>
    public static string MappingFile(ImportDraft d)
    {
        var map = ToMap(d);
        var json = new JsonObject
        {
            ["entity"] = map.Entity,
            ["columns"] = JsonSerializer.SerializeToNode(map.Columns),
        };
        if (map.Values.Count > 0) json["values"] = JsonSerializer.SerializeToNode(map.Values);
        if (map.DateFormat is not null) json["dateFormat"] = map.DateFormat;
        if (map.DateFormats.Count > 0) json["dateFormats"] = JsonSerializer.SerializeToNode(map.DateFormats);
        if (map.Defaults.Count > 0) json["defaults"] = JsonSerializer.SerializeToNode(map.Defaults);
        if (map.Scale.Count > 0) json["scale"] = JsonSerializer.SerializeToNode(map.Scale);
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads the upload's header and first rows, and proposes a target for each column.</summary>
    public static Task<ImportDraft> ReadAsync(ImportUpload upload, ImportEntity entity, string? preset, string[]? targets = null)
    {
        var presetMap = preset is null ? null : ImportPresets.Load(preset);
        return WithFileAsync(upload, path =>
        {
            var result = new ImportResult(upload.FileName);
            using var source = CsvSource.Open(path, presetMap ?? new ImportMap(), result);
            var header = source?.Header ?? [];
            var sample = source?.Rows().Take(SampleRows).Select(r => r.Fields).ToList() ?? [];
            var proposed = Propose(header, entity, presetMap);
            var chosen = targets is { } t && t.Length == header.Length ? t : proposed;
            return Task.FromResult(new ImportDraft(upload.Id, upload.FileName, entity, preset, header, sample, chosen,
                [.. result.Warnings.Concat(result.Errors).Select(e => e.ToString())]));
        });
    }

    /// <summary>The importer over the upload with the page's mapping: a dry run, or the import.</summary>
    public static Task<ImportResult> RunAsync(Data.TandemDb db, ImportUpload upload, ImportDraft d, bool dryRun, string currency, CancellationToken ct) =>
        WithFileAsync(upload, path => Importer.RunAsync(db, new ImportRequest(d.Entity, path, ToMap(d), dryRun, Currency: currency), null, ct));

    private static async Task<T> WithFileAsync<T>(ImportUpload upload, Func<string, Task<T>> use)
    {
        var dir = Directory.CreateTempSubdirectory("tandem-upload-");
        try
        {
            var path = Path.Combine(dir.FullName, SafeName(upload.FileName));
            await File.WriteAllBytesAsync(path, upload.Content);
            return await use(path);
        }
        finally { dir.Delete(recursive: true); }
    }

    /// <summary>The uploaded name without any folder part, so errors say "contacts.csv:12:3" as the user knows the file.</summary>
    public static string SafeName(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        var clean = new string([.. file.Where(c => !Path.GetInvalidFileNameChars().Contains(c))]);
        return clean.Length is > 0 and <= 255 ? clean : "upload.csv";
    }
}
