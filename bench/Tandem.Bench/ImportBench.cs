using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Bench;

/// <summary>
/// `import`: the bulk CSV import (decision 0096) against a raw insert of the same rows into the same schema, in the same run.
/// For each of people, touches and opportunities: the CSV is generated once; each run gets a fresh migrated database (SQLite in
/// a temp folder, or a fresh database on the PostgreSQL server of --postgres) and times either
///   raw: the rows the import ends up writing (for people: person, first stage change, activity row; for touches: the touch;
///        for opportunities: deal, first stage-history row, activity row), one prepared INSERT per table, one transaction, values
///        made in memory (SQLite: Microsoft.Data.Sqlite; PostgreSQL: Npgsql, statements sent 1,000 per round trip), or
///   import: <see cref="Importer.RunAsync"/> on the file, as `tandem import ENTITY FILE` runs it (parse, map, validate, write).
/// Runs alternate raw/import so a shared machine's load falls on both alike; one small warm-up round first; medians printed.
/// Touches need their people: both sides get the same people inserted untimed first (one per ten touches).
///   dotnet run -c Release --project bench/Tandem.Bench -- import [--rows 100000] [--runs 3] [--only people,touches,opportunities] [--postgres CONNSTR]
/// </summary>
internal static class ImportBench
{
    private static readonly string[] Channels = ["PaidSearch", "Organic", "Social", "Email", "Webinar", "Event", "Content", "Referral", "Partner", "Outbound"];
    private static readonly string[] Types = ["FormFill", "WebVisit", "EmailOpen", "EmailClick", "WebinarAttended", "ContentDownload", "AdClick", "Meeting"];
    private static readonly string[] Stages = ["Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost"];
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<int> RunAsync(string[] args)
    {
        string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var rows = int.Parse(Text("--rows") ?? "100000", CultureInfo.InvariantCulture);
        var runs = int.Parse(Text("--runs") ?? "3", CultureInfo.InvariantCulture);
        var postgres = Text("--postgres");
        var only = Text("--only")?.Split(',') ?? ["people", "touches", "opportunities"];
        var root = Path.Combine(Path.GetTempPath(), "tandem-import-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var provider = postgres is null ? "SQLite" : "PostgreSQL";
        var table = new StringBuilder()
            .AppendLine($"{provider}, {rows:N0} rows a file, medians of {runs} runs; {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.")
            .AppendLine()
            .AppendLine("| file | raw insert s | import s | import rows/s | import / raw |")
            .AppendLine("|---|---:|---:|---:|---:|");
        try
        {
            foreach (var entity in only)
            {
                var file = Path.Combine(root, entity + ".csv");
                var warm = Path.Combine(root, entity + "-warmup.csv");
                WriteCsv(entity, file, rows);
                WriteCsv(entity, warm, Math.Min(rows, 5_000));
                var (raw, import) = (new List<double>(), new List<double>());
                for (var r = -1; r < runs; r++)
                {
                    var n = r < 0 ? Math.Min(rows, 5_000) : rows;
                    var rawTime = await WithDatabaseAsync(root, postgres, $"raw{r + 1}", entity, n, s => RawAsync(s, entity, n));
                    var importTime = await WithDatabaseAsync(root, postgres, $"imp{r + 1}", entity, n, s => ImportAsync(s, entity, r < 0 ? warm : file));
                    if (r < 0) continue;
                    raw.Add(rawTime.TotalSeconds);
                    import.Add(importTime.TotalSeconds);
                    Console.WriteLine($"  {entity} run {r + 1}: raw {rawTime.TotalSeconds:0.00} s, import {importTime.TotalSeconds:0.00} s ({rawTime / importTime:0.00})");
                }
                var (mr, mi) = (Median(raw), Median(import));
                table.AppendLine($"| {entity} | {mr:0.00} | {mi:0.00} | {rows / mi:N0} | {mr / mi:0.00} |");
            }
        }
        finally { Directory.Delete(root, recursive: true); }
        Console.WriteLine();
        Console.WriteLine(table);
        return 0;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    // ---- the files ----

    private static string Ext(int i) => $"P{i:D7}";
    private static DateTime Created(int i) => Start.AddSeconds(i * 30L);
    private static string Iso(DateTime d) => d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    private static int PeopleFor(string entity, int rows) => entity == "touches" ? Math.Max(1, rows / 10) : 0;

    private static void WriteCsv(string entity, string path, int rows)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        switch (entity)
        {
            case "people":
                w.WriteLine("externalId,email,firstName,lastName,sourceChannel,createdAt");
                for (var i = 0; i < rows; i++)
                    w.WriteLine($"{Ext(i)},p{i}@c{i % 500}.example,First{i},Last{i},{Channels[i % Channels.Length]},{Iso(Created(i))}");
                break;
            case "touches":
                var people = PeopleFor(entity, rows);
                w.WriteLine("eventId,personExternalId,type,channel,occurredAt");
                for (var j = 0; j < rows; j++)
                    w.WriteLine($"E{j:D8},{Ext(j % people)},{Types[j % Types.Length]},{Channels[j % Channels.Length]},{Iso(Created(j))}");
                break;
            case "opportunities":
                w.WriteLine("externalId,name,amount,currency,salesStage,outcome,createdAt,closedAt");
                for (var k = 0; k < rows; k++)
                {
                    var (stage, outcome) = Deal(k);
                    w.WriteLine($"O{k:D7},Deal {k},{k % 100_000}.50,EUR,{stage},{outcome},{Iso(Created(k))},{(outcome == "Open" ? "" : Iso(Created(k).AddDays(30)))}");
                }
                break;
            default: throw new ArgumentException($"unknown entity '{entity}': people, touches or opportunities");
        }
    }

    private static (string Stage, string Outcome) Deal(int k) => Stages[k % Stages.Length] switch
    {
        "Closed Won" => ("Closed Won", "Won"),
        "Closed Lost" => ("Closed Lost", "Lost"),
        var s => (s, "Open"),
    };

    // ---- the two sides ----

    private static async Task<TimeSpan> ImportAsync(Storage storage, string entity, string file)
    {
        await using var db = storage.Open();
        var clock = Stopwatch.StartNew();
        var kind = Enum.Parse<ImportEntity>(entity, ignoreCase: true);
        var result = await Importer.RunAsync(db, new ImportRequest(kind, file, new ImportMap(), Currency: "EUR"));
        if (!result.Committed) throw new InvalidOperationException($"the import failed: {string.Join("; ", result.Errors.Take(5))}");
        return clock.Elapsed;
    }

    /// <summary>Each table's rows as the import writes them; ids are 1..n in a fresh database.</summary>
    private static IEnumerable<(string Table, string[] Columns, int Count, Func<int, object?[]> Row)> Tables(string entity, int rows) => entity switch
    {
        "people" =>
        [
            ("people", ["ExternalId", "Email", "FirstName", "LastName", "SourceChannel", "Stage", "StageChangedAt", "CreatedAt", "UpdatedAt", "Version"], rows,
                i => [Ext(i), $"p{i}@c{i % 500}.example", $"First{i}", $"Last{i}", Channels[i % Channels.Length], "Inquiry", Created(i), Created(i), Now, 1]),
            ("stage_changes", ["PersonId", "To", "At", "Cause", "Actor"], rows, i => [i + 1, "Inquiry", Created(i), "import", "import"]),
            ("activity", ["At", "Actor", "SubjectKind", "SubjectId", "Kind"], rows, i => [Now, "import", "Person", i + 1, "person.created"]),
        ],
        "touches" =>
        [
            ("touches", ["EventId", "PersonId", "Type", "Channel", "OccurredAt", "ReceivedAt"], rows,
                j => [$"E{j:D8}", j % PeopleFor(entity, rows) + 1, Types[j % Types.Length], Channels[j % Channels.Length], Created(j), Now]),
        ],
        "opportunities" =>
        [
            ("opportunities", ["ExternalId", "Name", "AmountMinor", "Currency", "SalesStage", "CreatedAt", "Outcome", "ClosedAt", "RecordedAt", "UpdatedAt", "Version"], rows,
                k => [$"O{k:D7}", $"Deal {k}", (k % 100_000) * 100L + 50, "EUR", Deal(k).Stage, Created(k), Deal(k).Outcome,
                    Deal(k).Outcome == "Open" ? null : Created(k).AddDays(30), Now, Now, 1]),
            ("opportunity_stage_changes", ["OpportunityId", "To", "Outcome", "At", "Actor"], rows,
                k => [k + 1, Deal(k).Stage, Deal(k).Outcome, Deal(k).Outcome == "Open" ? Now : Created(k).AddDays(30), "import"]),
            ("activity", ["At", "Actor", "SubjectKind", "SubjectId", "Kind"], rows, k => [Now, "import", "Opportunity", k + 1, "opportunity.created"]),
        ],
        _ => [],
    };

    private static async Task<TimeSpan> RawAsync(Storage storage, string entity, int rows)
    {
        var clock = Stopwatch.StartNew();
        await InsertAsync(storage, Tables(entity, rows));
        return clock.Elapsed;
    }

    /// <summary>Prepared INSERTs, one transaction. SQLite: one execution per row. PostgreSQL: 1,000 executions per round trip.</summary>
    private static async Task InsertAsync(Storage storage, IEnumerable<(string Table, string[] Columns, int Count, Func<int, object?[]> Row)> tables)
    {
        var sqlite = storage.Provider == DbProvider.Sqlite;
        await using DbConnection conn = sqlite ? new SqliteConnection(storage.ConnectionString) : new NpgsqlConnection(storage.ConnectionString);
        await conn.OpenAsync();
        if (sqlite)
            await using (var fk = conn.CreateCommand()) { fk.CommandText = "PRAGMA foreign_keys=ON;"; await fk.ExecuteNonQueryAsync(); }
        await using var tx = await conn.BeginTransactionAsync();
        foreach (var (table, columns, count, row) in tables)
        {
            var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
            object Value(object? v) => v switch { null => DBNull.Value, DateTime d when sqlite => RawSql.SqliteTime(d), _ => v };
            if (sqlite)
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = sql;
                cmd.Transaction = tx;
                var ps = columns.Select((_, i) => { var p = cmd.CreateParameter(); p.ParameterName = $"@p{i}"; cmd.Parameters.Add(p); return p; }).ToArray();
                await cmd.PrepareAsync();
                for (var r = 0; r < count; r++)
                {
                    var values = row(r);
                    for (var i = 0; i < ps.Length; i++) ps[i].Value = Value(values[i]);
                    await cmd.ExecuteNonQueryAsync();
                }
                continue;
            }
            for (var from = 0; from < count; from += 1000)
            {
                await using var batch = new NpgsqlBatch((NpgsqlConnection)conn, (NpgsqlTransaction)tx);
                for (var r = from; r < Math.Min(count, from + 1000); r++)
                {
                    var c = new NpgsqlBatchCommand(sql);
                    var values = row(r);
                    for (var i = 0; i < values.Length; i++) c.Parameters.Add(new NpgsqlParameter($"@p{i}", Value(values[i])));
                    batch.BatchCommands.Add(c);
                }
                await batch.ExecuteNonQueryAsync();
            }
        }
        await tx.CommitAsync();
    }

    /// <summary>A fresh migrated database for one timed run (the touches' people inserted untimed), dropped afterwards.</summary>
    private static async Task<TimeSpan> WithDatabaseAsync(string root, string? postgres, string name, string entity, int rows, Func<Storage, Task<TimeSpan>> run)
    {
        Storage storage;
        string? pgName = null;
        if (postgres is null) storage = Storage.Sqlite(Path.Combine(root, $"{entity}-{name}"));
        else
        {
            pgName = $"bulkbench_{entity}_{name}";
            await PgAsync(postgres, $"DROP DATABASE IF EXISTS {pgName} WITH (FORCE)", $"CREATE DATABASE {pgName}");
            storage = new Storage(DbProvider.Postgres, new NpgsqlConnectionStringBuilder(postgres) { Database = pgName }.ToString());
        }
        try
        {
            await using (var db = storage.Open()) await Storage.MigrateAsync(db);
            if (PeopleFor(entity, rows) is > 0 and var people)
                await InsertAsync(storage, [("people", ["ExternalId", "Stage", "StageChangedAt", "CreatedAt", "UpdatedAt", "Version"], people,
                    i => [Ext(i), "Inquiry", Start, Start, Now, 1])]);
            return await run(storage);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (pgName is not null) await PgAsync(postgres!, $"DROP DATABASE IF EXISTS {pgName} WITH (FORCE)");
        }
    }

    internal static async Task PgAsync(string server, params string[] statements)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ToString());
        await conn.OpenAsync();
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
