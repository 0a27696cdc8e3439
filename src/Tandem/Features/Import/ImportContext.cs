using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Properties;

namespace Tandem.Features.Import;

/// <summary>What every entity importer shares during one import: the database, the result, and reference caches.</summary>
internal sealed class ImportContext(TandemDb db, ImportResult result)
{
    public const string Actor = "import";

    public TandemDb Db { get; } = db;
    public ImportResult Result { get; } = result;
    public DateTime Now { get; } = db.UtcNow;

    public RefResolver Accounts => field ??= RefResolver.Accounts(Db);
    public RefResolver Users => field ??= RefResolver.Users(Db);
    public RefResolver Campaigns => field ??= RefResolver.Campaigns(Db);
    public RefResolver People => field ??= RefResolver.People(Db);

    /// <summary>Counts what the batch does to each record (new, changed, unchanged), then saves it so new records get ids.</summary>
    public async Task SaveAsync<T>(IEnumerable<T> touched, CancellationToken ct) where T : class
    {
        Db.ChangeTracker.DetectChanges();
        foreach (var e in touched.Distinct(ReferenceEqualityComparer.Instance).Cast<T>())
        {
            switch (Db.Entry(e).State)
            {
                case EntityState.Added: Result.Created++; break;
                case EntityState.Modified: Result.Updated++; break;
                default: Result.Unchanged++; break;
            }
        }
        await Db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Sets the custom properties each row carried, in bulk. Properties a row did not name are left alone,
    /// so importing a second file with other columns adds to what is there; an empty cell removes the value.
    /// </summary>
    public async Task WritePropertiesAsync(SubjectKind kind, IReadOnlyList<(int Id, Dictionary<string, string?> Props)> rows, CancellationToken ct)
    {
        var withProps = rows.Where(r => r.Props.Count > 0).ToList();
        if (withProps.Count == 0) return;
        var stored = new Dictionary<(int, string), CustomProperty>();
        foreach (var chunk in withProps.Select(r => r.Id).Distinct().Chunk(1000))
            foreach (var p in await Db.CustomProperties.Where(p => p.SubjectKind == kind && chunk.Contains(p.SubjectId)).ToListAsync(ct))
                stored[(p.SubjectId, p.Name)] = p;
        foreach (var (id, props) in withProps)
            foreach (var (name, value) in props)
            {
                var row = stored.GetValueOrDefault((id, name));
                if (value is null)
                {
                    if (row is not null) Db.CustomProperties.Remove(row);
                    stored.Remove((id, name));
                }
                else if (row is null || Db.Entry(row).State == EntityState.Deleted)
                {
                    if (row is not null) Db.Entry(row).State = EntityState.Unchanged;
                    row ??= Db.CustomProperties.Add(new CustomProperty { SubjectKind = kind, SubjectId = id, Name = name, Value = value }).Entity;
                    row.Value = value;
                    stored[(id, name)] = row;
                }
                else row.Value = value;
            }
        await Db.SaveChangesAsync(ct);
    }
}

/// <summary>Finds the record a row updates: by externalId, else by a natural key (name, email…) within the batch and the database.</summary>
internal sealed class KeyIndex<T>(Func<T, string?> externalId, Func<T, string?> natural) where T : class
{
    private readonly Dictionary<string, T> _byExt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, T> _byNatural = new(StringComparer.Ordinal);

    public KeyIndex<T> AddRange(IEnumerable<T> items)
    {
        foreach (var e in items) Add(e);
        return this;
    }

    public T Add(T e)
    {
        if (externalId(e) is { } x) _byExt[x] = e;
        if (natural(e) is { } n) _byNatural.TryAdd(n, e);
        return e;
    }

    public T? ByExternalId(string? key) => key is null ? null : _byExt.GetValueOrDefault(key);

    public T? ByNatural(string? key) => key is null ? null : _byNatural.GetValueOrDefault(key);

    /// <summary>By externalId; else by natural key, but only a record that has no externalId of its own yet.</summary>
    public T? Find(string? ext, string? naturalKey) =>
        ByExternalId(ext) ?? (ByNatural(naturalKey) is { } n && (ext is null || externalId(n) is null) ? n : null);
}
