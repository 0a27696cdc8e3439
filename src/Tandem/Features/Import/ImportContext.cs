using System.Linq.Expressions;
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

    /// <summary>Whether people reaching MQL are routed to sales (<see cref="ImportRequest.Route"/>).</summary>
    public bool Route { get; init; } = true;

    /// <summary>The company's currency (<see cref="CompanyOptions"/>): money in a row that names no currency is in it.</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>How many rows took <see cref="Currency"/> for want of their own; the import says so rather than assume silently.</summary>
    public int DefaultedCurrency { get; private set; }

    public string CurrencyOr(string? currency)
    {
        if (currency is not null) return currency;
        DefaultedCurrency++;
        return Currency;
    }

    private readonly Dictionary<string, (int Line, string Cells)> _externalIds = new(StringComparer.Ordinal);

    /// <summary>
    /// A second row of the file with the same externalId but other values is an error naming the first one's line: applying
    /// both would merge two records into one and silently lose the first's values (its email, for a person). A row that
    /// repeats the same values is fine: denormalized exports list a manager or an account once per related row.
    /// </summary>
    public void Once(RowValues r, string? externalId)
    {
        if (externalId is null) return;
        var cells = r.MappedCells();
        if (!_externalIds.TryGetValue(externalId, out var first)) _externalIds[externalId] = (r.Line, cells);
        else if (first.Cells != cells)
            r.Fail("externalId", $"externalId '{externalId}' is also on line {first.Line}, with other values; a record may appear more than once in a file only with the same values");
    }

    /// <summary>The channel taxonomy rows are matched against, with the channels the mapping adds.</summary>
    public Channels.ChannelSet Channels { get; set; } = Features.Channels.ChannelSet.Default;

    public RefResolver Accounts => field ??= RefResolver.Accounts(Db);
    public RefResolver Users => field ??= RefResolver.Users(Db);
    public RefResolver Campaigns => field ??= RefResolver.Campaigns(Db);
    public RefResolver People => field ??= RefResolver.People(Db);

    /// <summary>
    /// The stored records a batch may update, tracked: those whose externalId or natural key (name, email) the batch names.
    /// Two queries rather than one with OR, so each can use its index: an OR scanned the whole table once per batch.
    /// </summary>
    public static async Task<List<T>> ExistingAsync<T>(IQueryable<T> set, Expression<Func<T, string?>> externalId, IEnumerable<string?> extKeys,
        Expression<Func<T, string?>> natural, IEnumerable<string?> naturalKeys, CancellationToken ct) where T : class
    {
        var found = new List<T>();
        foreach (var (key, keys) in new[] { (externalId, extKeys), (natural, naturalKeys) })
            foreach (var chunk in keys.OfType<string>().Distinct().Chunk(1000))
                found.AddRange(await set.Where(In(key, [.. chunk])).ToListAsync(ct));
        // The same tracked instance comes back from both queries; keep one, in a stable order.
        return found.Distinct(ReferenceEqualityComparer.Instance).Cast<T>().ToList();
    }

    /// <summary>
    /// Like <see cref="ExistingAsync{T}"/> for tables whose keys are unique (people, opportunities), in two steps: which keys are
    /// stored, by the raw point lookups of the ingestion path (an index probe per key; EF's <c>Contains</c> over a thousand keys
    /// cost more than the bulk insert of the batch on SQLite), then the few records found, tracked. A first load finds none.
    /// </summary>
    public async Task<List<T>> StoredAsync<T>(IQueryable<T> set, string table, params (string Column, IEnumerable<string?> Keys)[] keys) where T : class
    {
        var ids = new HashSet<int>();
        foreach (var (column, values) in keys)
            ids.UnionWith((await RawSql.LookupAsync(Db, table, column, values.OfType<string>().ToHashSet(StringComparer.Ordinal), CancellationToken.None)).Values);
        if (ids.Count == 0) return [];
        var list = ids.ToList();
        return await set.Where(e => list.Contains(EF.Property<int>(e, "Id"))).OrderBy(e => EF.Property<int>(e, "Id")).ToListAsync();
    }

    private static Expression<Func<T, bool>> In<T>(Expression<Func<T, string?>> key, List<string> keys)
    {
        Expression<Func<List<string>>> captured = () => keys; // a closure, so EF sends the list as a parameter
        var body = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(string)], captured.Body, key.Body);
        return Expression.Lambda<Func<T, bool>>(body, key.Parameters);
    }

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
    /// Inserts records that are new to the database in bulk (decision 0096) and writes what a save would have written with
    /// them: Version 1, UpdatedAt, the "….created" activity row each, and the count. Their ids are set on return.
    /// </summary>
    public async Task InsertNewAsync<T>(SubjectKind kind, IReadOnlyList<T> fresh, Func<T, int> id, CancellationToken ct) where T : class, IVersioned
    {
        if (fresh.Count == 0) return;
        foreach (var e in fresh) (e.Version, e.UpdatedAt) = (1, Now);
        await BulkInsert.AddAsync(Db, fresh, needIds: true, ct);
        Result.Created += fresh.Count;
        if (Db.AuditChanges)
        {
            var verb = kind.ToString().ToLowerInvariant() + ".created";
            await BulkInsert.AddAsync(Db, [.. fresh.Select(e => new Activity.ActivityEntry { At = Now, Actor = Db.Actor, SubjectKind = kind, SubjectId = id(e), Kind = verb })],
                needIds: false, ct);
        }
    }

    /// <summary>The custom properties of records just inserted (none stored yet, so nothing to look up or remove).</summary>
    public async Task InsertPropertiesAsync(SubjectKind kind, IEnumerable<(int Id, Dictionary<string, string?> Props)> rows, CancellationToken ct) =>
        await BulkInsert.AddAsync(Db, [.. rows.SelectMany(r => r.Props.Where(p => p.Value is not null)
            .Select(p => new CustomProperty { SubjectKind = kind, SubjectId = r.Id, Name = p.Key, Value = p.Value! }))], needIds: false, ct);

    /// <summary>One entry per record, later rows' values over earlier ones (a record may repeat in a file with the same values).</summary>
    public static IEnumerable<(int Id, Dictionary<string, string?> Props)> Merged(IEnumerable<(int Id, Dictionary<string, string?> Props)> rows)
    {
        var merged = new Dictionary<int, Dictionary<string, string?>>();
        foreach (var (id, props) in rows)
        {
            if (!merged.TryGetValue(id, out var all)) merged[id] = all = new(StringComparer.Ordinal);
            foreach (var (k, v) in props) all[k] = v;
        }
        return merged.Select(m => (m.Key, m.Value));
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
