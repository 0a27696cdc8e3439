using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>A fresh database plus a temp folder for CSV files, for import tests.</summary>
internal sealed class ImportHarness : IAsyncDisposable
{
    public required TestDb Db { get; init; }
    public required string Dir { get; init; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public static async Task<ImportHarness> CreateAsync(string provider)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tandem-import-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return new ImportHarness { Db = await TestDb.CreateAsync(provider), Dir = dir };
    }

    /// <summary>Writes a file; lines are joined with \n unless the content already has line ends.</summary>
    public string Write(string name, string content, Encoding? encoding = null)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public TandemDb Open() => Db.Open(Clock);

    public async Task<ImportResult> ImportAsync(ImportEntity entity, string path, string? mapJson = null, bool dryRun = false, bool skipInvalid = false)
    {
        var map = mapJson is null ? new ImportMap() : ImportMap.Parse(mapJson, "map.json");
        await using var db = Open();
        return await Importer.RunAsync(db, new ImportRequest(entity, path, map, dryRun, skipInvalid), ct: TestContext.Current.CancellationToken);
    }

    public async Task<T> QueryAsync<T>(Func<TandemDb, Task<T>> query)
    {
        await using var db = Open();
        return await query(db);
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { /* temp is cleaned later */ }
    }
}
