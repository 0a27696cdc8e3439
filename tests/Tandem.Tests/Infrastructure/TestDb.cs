using Npgsql;
using Tandem.Data;

namespace Tandem.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database for one test: a temporary SQLite file, or a new database on the
/// PostgreSQL server named by TANDEM_TEST_POSTGRES (which .ci/run starts). Integration tests take a
/// provider name from <see cref="Providers"/>, so the same test runs on both where PostgreSQL exists.
/// </summary>
public sealed class TestDb : IAsyncDisposable
{
    public const string PostgresEnv = "TANDEM_TEST_POSTGRES";

    public required Storage Storage { get; init; }
    private string? _dir;
    private string? _pgName;

    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { "sqlite" };
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresEnv))) data.Add("postgres");
            return data;
        }
    }

    public static async Task<TestDb> CreateAsync(string provider, TimeProvider? clock = null)
    {
        TestDb db;
        if (provider == "sqlite")
        {
            var dir = Path.Combine(Path.GetTempPath(), "tandem-tests", Guid.NewGuid().ToString("N"));
            db = new TestDb { Storage = Storage.Sqlite(dir), _dir = dir };
        }
        else
        {
            var server = Environment.GetEnvironmentVariable(PostgresEnv)
                ?? throw new InvalidOperationException($"{PostgresEnv} is not set.");
            var name = "tandem_t_" + Guid.NewGuid().ToString("N")[..16];
            await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ToString()))
            {
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
                await cmd.ExecuteNonQueryAsync();
            }
            var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
            db = new TestDb { Storage = new Storage(DbProvider.Postgres, cs), _pgName = name };
        }
        await using var ctx = db.Storage.Open(clock);
        await Storage.MigrateAsync(ctx);
        return db;
    }

    public TandemDb Open(TimeProvider? clock = null) => Storage.Open(clock);

    public async ValueTask DisposeAsync()
    {
        if (_dir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* a file still open on Windows; temp is cleaned later */ }
        }
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var server = Environment.GetEnvironmentVariable(PostgresEnv)!;
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ToString());
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
