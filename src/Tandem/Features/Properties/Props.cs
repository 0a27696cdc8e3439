using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Properties;

/// <summary>Reads and replaces the custom properties of one record.</summary>
public static class Props
{
    public static async Task<Dictionary<string, string>> LoadAsync(TandemDb db, SubjectKind kind, int id, CancellationToken ct) =>
        await db.CustomProperties.Where(p => p.SubjectKind == kind && p.SubjectId == id)
            .OrderBy(p => p.Name).ToDictionaryAsync(p => p.Name, p => p.Value, ct);

    public static async Task<Dictionary<int, Dictionary<string, string>>> LoadManyAsync(TandemDb db, SubjectKind kind,
        IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var rows = await db.CustomProperties.Where(p => p.SubjectKind == kind && ids.Contains(p.SubjectId)).ToListAsync(ct);
        return rows.GroupBy(r => r.SubjectId).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Name, r => r.Value));
    }

    /// <summary>Makes the stored set equal to <paramref name="values"/>; null means "leave as is".</summary>
    public static async Task ReplaceAsync(TandemDb db, SubjectKind kind, int id, IDictionary<string, string>? values, CancellationToken ct)
    {
        if (values is null) return;
        var existing = await db.CustomProperties.Where(p => p.SubjectKind == kind && p.SubjectId == id).ToListAsync(ct);
        foreach (var old in existing.Where(e => !values.ContainsKey(e.Name))) db.CustomProperties.Remove(old);
        foreach (var (name, value) in values)
        {
            var row = existing.FirstOrDefault(e => e.Name == name);
            if (row is null) db.CustomProperties.Add(new CustomProperty { SubjectKind = kind, SubjectId = id, Name = name, Value = value });
            else row.Value = value;
        }
    }

    public static void Validate(Api.Errors errors, IDictionary<string, string>? values)
    {
        if (values is null) return;
        foreach (var (name, value) in values)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 100) errors.Add("properties", $"Property name '{name}' must be 1 to 100 characters.");
            if (value is null || value.Length > 4000) errors.Add($"properties.{name}", "A property value must be a string of at most 4,000 characters.");
        }
    }
}
