using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tandem.Data;

public enum DbProvider { Sqlite, Postgres }

/// <summary>Where the funnel lives: a SQLite file in the data folder by default, PostgreSQL when given a connection string.</summary>
public sealed record Storage(DbProvider Provider, string ConnectionString)
{
    public const string DataEnv = "TANDEM_DATA";
    public const string PostgresEnv = "TANDEM_POSTGRES";
    public const string ReadOnlyEnv = "TANDEM_POSTGRES_READONLY";

    /// <summary>A read-only PostgreSQL (a streaming replica) that the in-memory history reads from; null: the primary.
    /// Only reads go there, so reports may lag the primary by the replica's delay (docs/guide/deploy.md).</summary>
    public string? ReadOnlyConnectionString { get; init; }

    /// <summary>This storage with the read-only connection from the flag or <see cref="ReadOnlyEnv"/>, if any.</summary>
    public Storage WithReadOnly(string? readOnly)
    {
        readOnly ??= Environment.GetEnvironmentVariable(ReadOnlyEnv);
        if (string.IsNullOrWhiteSpace(readOnly)) return this;
        if (Provider != DbProvider.Postgres)
            throw new ArgumentException("--postgres-readonly (TANDEM_POSTGRES_READONLY) needs PostgreSQL: set --postgres (TANDEM_POSTGRES) too.");
        return this with { ReadOnlyConnectionString = readOnly };
    }

    /// <summary>A context for reading history: the replica when there is one, else the database itself.</summary>
    public TandemDb OpenForReading(TimeProvider? clock = null) =>
        ReadOnlyConnectionString is { } ro ? (this with { ConnectionString = ro, ReadOnlyConnectionString = null }).Open(clock) : Open(clock);

    /// <summary>Command-line values win over environment variables, which win over the defaults.</summary>
    public static Storage Resolve(string? dataDir, string? postgres)
    {
        postgres ??= Environment.GetEnvironmentVariable(PostgresEnv);
        if (!string.IsNullOrWhiteSpace(postgres)) return new(DbProvider.Postgres, postgres);
        dataDir ??= Environment.GetEnvironmentVariable(DataEnv);
        return Sqlite(Path.GetFullPath(string.IsNullOrWhiteSpace(dataDir) ? "data" : dataDir));
    }

    public static Storage Sqlite(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "tandem.db"),
            Pooling = true,
            DefaultTimeout = 60,
        };
        return new(DbProvider.Sqlite, cs.ToString());
    }

    public string Describe() => Provider == DbProvider.Sqlite
        ? $"SQLite {new SqliteConnectionStringBuilder(ConnectionString).DataSource}"
        : $"PostgreSQL {Redacted()}";

    private string Redacted()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        if (b.Password is not null) b.Password = "***";
        return b.ToString();
    }

    public void Configure(DbContextOptionsBuilder o)
    {
        if (Provider == DbProvider.Sqlite)
            o.UseSqlite(ConnectionString, s => s.MigrationsAssembly(typeof(TandemDb).Assembly.FullName)).AddInterceptors(SqlitePragmas.Instance, Feed.ChangeFeedInterceptor.Instance);
        else
            o.UseNpgsql(ConnectionString).AddInterceptors(Feed.ChangeFeedInterceptor.Instance);
    }

    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton(this);
        if (Provider == DbProvider.Sqlite)
        {
            services.AddDbContext<SqliteTandemDb>(Configure);
            services.AddScoped<TandemDb>(sp => sp.GetRequiredService<SqliteTandemDb>());
        }
        else
        {
            services.AddDbContext<PostgresTandemDb>(Configure);
            services.AddScoped<TandemDb>(sp => sp.GetRequiredService<PostgresTandemDb>());
        }
    }

    /// <summary>A context outside DI, for the CLI, tests and benchmarks.</summary>
    public TandemDb Open(TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        if (Provider == DbProvider.Sqlite)
        {
            var b = new DbContextOptionsBuilder<SqliteTandemDb>();
            Configure(b);
            return new SqliteTandemDb(b.Options, clock);
        }
        var p = new DbContextOptionsBuilder<PostgresTandemDb>();
        Configure(p);
        return new PostgresTandemDb(p.Options, clock);
    }

    public static async Task MigrateAsync(TandemDb db, CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        // WAL lets the web UI read while an import or ingest writes.
        if (db.IsSqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}

/// <summary>Used only by `dotnet ef migrations add … --context SqliteTandemDb`.</summary>
public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteTandemDb>
{
    public SqliteTandemDb CreateDbContext(string[] args) =>
        (SqliteTandemDb)Storage.Sqlite(Path.Combine(Path.GetTempPath(), "tandem-design")).Open();
}

/// <summary>Used only by `dotnet ef migrations add … --context PostgresTandemDb`; needs no server.</summary>
public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresTandemDb>
{
    public PostgresTandemDb CreateDbContext(string[] args) =>
        (PostgresTandemDb)new Storage(DbProvider.Postgres, "Host=localhost;Database=tandem").Open();
}
