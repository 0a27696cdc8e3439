using System.Reflection;

namespace Tandem.Features.Import;

/// <summary>
/// Mappings for the exports people have (HubSpot, Salesforce, Pipedrive), shipped inside the program as JSON under
/// Import/Presets and chosen with <c>--preset NAME</c>; a user's own mapping can be laid over one (decision 0053).
/// </summary>
public static class ImportPresets
{
    private const string Prefix = "Tandem.Features.Import.Presets.";

    public static IReadOnlyList<string> Names { get; } = typeof(ImportPresets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".json".Length]).Order(StringComparer.Ordinal).ToList();

    /// <summary>The preset called <paramref name="name"/>, or an <see cref="ImportMapException"/> that lists the ones there are.</summary>
    public static ImportMap Load(string name)
    {
        var key = Names.FirstOrDefault(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ImportMapException($"--preset: there is no preset '{name}'; the presets are {string.Join(", ", Names)}.");
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + key + ".json")!;
        using var reader = new StreamReader(stream);
        var map = ImportMap.Parse(reader.ReadToEnd(), $"preset {key}");
        map.OptionalColumns = true;
        return map;
    }

    /// <summary>The preset (if any) with the user's mapping file (if any) laid over it.</summary>
    public static ImportMap Compose(string? preset, string? mapFile)
    {
        var user = mapFile is null ? null : ImportMap.Load(mapFile);
        if (preset is null) return user ?? new ImportMap();
        var baseMap = Load(preset);
        return user is null ? baseMap : baseMap.Overlay(user);
    }
}
