using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Calendars;
using Tandem.Features.Handoffs;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>
/// `handoff [--mqls N] [--open N] [--due N] [--runs R]`: (1) routing plus SLA evaluation per MQL, in memory — the router
/// (account owner / territory / round robin over 60 reps in 3 zones), the deadlines in the rep's calendar and the status — against
/// a same-run baseline that only computes the first-touch deadline; (2) the breach sweeper's pass over a SQLite database
/// holding N open handoffs, with none due (the steady state) and with <c>--due</c> of them due.
/// </summary>
public static class HandoffBench
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public static async Task<int> RunAsync(string[] args)
    {
        var mqls = Arg(args, "--mqls", 500_000);
        var open = Arg(args, "--open", 1_000_000);
        var due = Arg(args, "--due", 1_000);
        var runs = Arg(args, "--runs", 3);
        var rows = new List<string>();
        Routing(mqls / 10, 1); // warm-up
        var baseline = Median(Enumerable.Range(0, runs).Select(_ => Baseline(mqls)).ToList());
        var routed = Median(Enumerable.Range(0, runs).Select(_ => Routing(mqls, 1)).ToList());
        rows.Add($"| deadline only (baseline): `AddBusinessHours` per MQL, {mqls:N0} MQLs | {baseline:0.000} | {mqls / baseline:N0} MQLs/s | 1.00 |");
        rows.Add($"| routing + SLA evaluation (route, 3 deadlines, status), {mqls:N0} MQLs | {routed:0.000} | {mqls / routed:N0} MQLs/s | {baseline / routed:0.00} |");

        var dir = Path.Combine(Path.GetTempPath(), "tandem-bench", "handoff-" + Guid.NewGuid().ToString("N"));
        try
        {
            var storage = Storage.Sqlite(dir);
            var load = Stopwatch.StartNew();
            await FillAsync(storage, open, due);
            Console.WriteLine($"  {open:N0} open handoffs written in {load.Elapsed.TotalSeconds:0.0} s");
            var clock = new FixedClock { Now = new DateTimeOffset(Start.AddHours(1)) };
            var idle = new List<double>();
            for (var r = -1; r < runs; r++) // the first pass (EF model, connection, page cache) is not timed
            {
                await using var db = storage.Open(clock);
                var t = Stopwatch.StartNew();
                var n = await SlaSweeper.RecordBreachesAsync(db, 500, CancellationToken.None);
                if (r >= 0) idle.Add(t.Elapsed.TotalSeconds);
                if (n != 0) throw new InvalidOperationException($"expected no breaches, found {n}");
            }
            rows.Add($"| sweeper pass, {open:N0} open handoffs, none due | {Median(idle):0.0000} | {1 / Median(idle):N0} passes/s | |");
            clock.Now = new DateTimeOffset(Start.AddHours(30)); // the --due ones (first touch due at +24h) have passed
            await using (var db = storage.Open(clock))
            {
                var t = Stopwatch.StartNew();
                var n = await SlaSweeper.RecordBreachesAsync(db, 500, CancellationToken.None);
                rows.Add($"| sweeper pass, {open:N0} open handoffs, {n:N0} breaches recorded | {t.Elapsed.TotalSeconds:0.000} | {n / t.Elapsed.TotalSeconds:N0} breaches/s | |");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        Console.WriteLine();
        Console.WriteLine($"Handoff: routing + SLA evaluation (in memory) and the breach sweeper (SQLite); medians of {runs} runs; {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        Console.WriteLine();
        Console.WriteLine("| measurement | seconds | rate | baseline / this |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var row in rows) Console.WriteLine(row);
        return 0;
    }

    private static readonly IsoDayOfWeek[] Weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];
    private static readonly string[] Zones = ["America/New_York", "Europe/Berlin", "Asia/Tokyo"];
    private static readonly string[] Regions = ["North America", "EMEA", "APAC"];

    private static BusinessCalendar[] Calendars() =>
        [.. Zones.Select(z => BusinessCalendar.Uniform(z, Weekdays, new LocalTime(9, 0), new LocalTime(17, 0), [new LocalDate(2026, 4, 3)]))];

    private static double Baseline(int n)
    {
        var cals = Calendars();
        var t = Stopwatch.StartNew();
        long sink = 0;
        for (var i = 0; i < n; i++) sink ^= cals[i % 3].AddBusinessHours(Start.AddMinutes(i % 100_000), 4).Ticks;
        if (sink == 42) Console.WriteLine();
        return t.Elapsed.TotalSeconds;
    }

    /// <summary>60 reps in 3 regional teams (with managers and an admin); a third of the leads at owned accounts.</summary>
    private static double Routing(int n, int _)
    {
        var users = new List<RouteUser> { new(1, null, Role.Admin, true, null) };
        for (var team = 1; team <= 3; team++)
        {
            users.Add(new RouteUser(team * 100, team, Role.SalesManager, true, null));
            for (var r = 1; r <= 20; r++) users.Add(new RouteUser(team * 100 + r, team, Role.SalesRep, true, team * 100) { IsAway = r == 7, Capacity = r == 3 ? 1_000 : null });
        }
        var router = new Router(users, Regions.Select((name, i) => new RouteTerritory(i + 1, i, name, i + 1, Region: name)));
        var cals = Calendars();
        var calendarOf = users.ToDictionary(u => u.Id, u => cals[(u.TeamId ?? 1) - 1]);
        var terms = SlaSection.Default;
        var t = Stopwatch.StartNew();
        var breached = 0;
        for (var i = 0; i < n; i++)
        {
            var team = i % 3;
            var at = Start.AddMinutes(i % 100_000);
            var d = router.Route(new RouteLead(i, i % 3 == 0 ? (team + 1) * 100 + 1 + i % 20 : null, null, Regions[team], "Software", 250), at);
            var h = new Handoff { PersonId = i, Rule = d.Rule, RuleNote = d.Why, AssigneeId = d.AssigneeId };
            SlaClock.Start(h, terms, calendarOf[d.AssigneeId!.Value], at);
            if (SlaClock.Status(h, at.AddHours(5), TimeSpan.FromHours(2)) == SlaStatus.Breached) breached++;
        }
        if (breached == -1) Console.WriteLine();
        return t.Elapsed.TotalSeconds;
    }

    /// <summary>People and open handoffs by raw INSERT (one transaction): first touch due a day after start, except the last
    /// <paramref name="due"/>, due at +24h too but the others' next deadline is a week out.</summary>
    private static async Task FillAsync(Storage storage, int open, int due)
    {
        await using (var db = storage.Open()) await Storage.MigrateAsync(db);
        await using var conn = new SqliteConnection(storage.ConnectionString);
        await conn.OpenAsync();
        using var tx = conn.BeginTransaction();
        var now = RawSql.SqliteTime(Start);
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """INSERT INTO people ("Email", "Stage", "StageChangedAt", "CreatedAt", "UpdatedAt", "Version") VALUES (@e, 'MQL', @t, @t, @t, 1)""";
            var e = cmd.Parameters.Add("@e", SqliteType.Text);
            cmd.Parameters.AddWithValue("@t", now);
            cmd.Prepare();
            for (var p = 0; p < open; p++)
            {
                e.Value = string.Create(CultureInfo.InvariantCulture, $"p{p}@bench.example");
                cmd.ExecuteNonQuery();
            }
        }
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """
                INSERT INTO handoffs ("PersonId", "Rule", "RuleNote", "MqlAt", "AssignedAt", "FirstTouchHours", "MinAttempts", "FirstTouchDue", "AttemptsDue",
                  "DecideDue", "AttemptCount", "State", "KnownOpportunity", "NextDeadline", "BreachedMask", "UpdatedAt", "Version")
                VALUES (@p, 'round-robin', 'bench', @t, @t, 4, 3, @f, @a, @d, 0, 'Open', 0, @n, 0, @t, 1)
                """;
            var p = cmd.Parameters.Add("@p", SqliteType.Integer);
            var f = cmd.Parameters.Add("@f", SqliteType.Text);
            var n = cmd.Parameters.Add("@n", SqliteType.Text);
            cmd.Parameters.AddWithValue("@t", now);
            cmd.Parameters.AddWithValue("@a", RawSql.SqliteTime(Start.AddDays(7)));
            cmd.Parameters.AddWithValue("@d", RawSql.SqliteTime(Start.AddDays(5)));
            cmd.Prepare();
            var later = RawSql.SqliteTime(Start.AddDays(3));
            var soon = RawSql.SqliteTime(Start.AddHours(24));
            for (var i = 0; i < open; i++)
            {
                p.Value = i + 1;
                // Most first touches were made (next deadline: the decision, days out); the last --due are still waiting.
                var waiting = i >= open - due;
                f.Value = waiting ? soon : later;
                n.Value = waiting ? soon : later;
                cmd.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }

    /// <summary>A clock the bench sets by hand, so deadlines come due on cue.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
