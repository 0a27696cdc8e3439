using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tandem.Bench;
using Tandem.Cli;
using Tandem.Features.Demo;

// Usage: dotnet run -c Release --project bench/Tandem.Bench -- [--touches N] [--runs R] [--skip-big-demo] [--only raw,service,scored,http,demo,calendar]
//        dotnet run -c Release --project bench/Tandem.Bench -- --whatif DATA_DIR [--runs R]   (what-if over an existing demo database)
//    or: dotnet run -c Release --project bench/Tandem.Bench -- insight --data DIR | --postgres CONNSTR [--runs 15]   (docs/benchmarks.md)
//    or: dotnet run -c Release --project bench/Tandem.Bench -- handoff [--mqls 500000] [--open 1000000] [--due 1000] [--runs 3]
//    or: dotnet run -c Release --project bench/Tandem.Bench -- plan --data DIR | --postgres CONNSTR [--runs 5]   (Plan over a demo database)
//    or: dotnet run -c Release --project bench/Tandem.Bench -- learn --data DIR | --postgres CONNSTR [--runs 3]   (Learning over a demo database)
//    or: dotnet run -c Release --project bench/Tandem.Bench -- cadence --data DIR | --postgres CONNSTR [--runs 5]   (weekly records over a copy of a demo database)
//    or: dotnet run -c Release --project bench/Tandem.Bench -- cadence-send [--recipients 200] [--runs 5]   (the weekly email through a local SMTP sink)
//    or: dotnet run -c Release --project bench/Tandem.Bench -- nurture [--messages 5000] [--people 1000000] [--clicks 2000] [--runs 3]
//    or: dotnet run -c Release --project bench/Tandem.Bench -- import [--rows 100000] [--runs 3] [--only people,touches,opportunities] [--postgres CONNSTR]
//    or: dotnet run -c Release --project bench/Tandem.Bench -- live --data DIR | --postgres CONNSTR [--seconds 180] [--rate 500] [--batch 50] [--in-flight 32]
if (ArgText("--whatif") is { } whatIfDir) return await WhatIfBench.RunAsync(whatIfDir, Arg("--runs", 5));
if (args is ["insight", ..]) return await InsightBench.RunAsync(args);
if (args is ["handoff", ..]) return await HandoffBench.RunAsync(args);
if (args is ["live", ..]) return await LiveBench.RunAsync(args);
if (args is ["plan", ..]) return await PlanBench.RunAsync(args);
if (args is ["learn", ..]) return await LearnBench.RunAsync(args);
if (args is ["cadence", ..]) return await CadenceBench.RunAsync(args);
if (args is ["cadence-send", ..]) return await CadenceSendBench.RunAsync(args);
if (args is ["nurture", ..]) return await NurtureBench.RunAsync(args);
if (args is ["import", ..]) return await ImportBench.RunAsync(args);
var touches = Arg("--touches", 1_000_000);
var runs = Arg("--runs", 3);
var skipBig = args.Contains("--skip-big-demo");
var only = ArgText("--only")?.Split(',') ?? ["raw", "service", "scored", "http", "demo", "calendar"];
var root = Path.Combine(Path.GetTempPath(), "tandem-bench", Guid.NewGuid().ToString("N"));
var data = new BenchData(touches);
var rows = new List<string>();

// Runs are interleaved (raw, service, http, raw, …) so the load of a shared machine falls on all of them alike;
// one small warm-up round first so JIT compilation is not timed.
var modes = new List<(string Name, string Label, Func<BenchData, string, Task<TimeSpan>> Run)>();
if (only.Contains("raw")) modes.Add(("raw", "raw prepared INSERT, one transaction (Microsoft.Data.Sqlite)", RawInsert.RunAsync));
if (only.Contains("service"))
    modes.Add(("service", $"Tandem TouchIngestor, batches of {TandemIngest.BatchSize:N0}", (d, dir) => TandemIngest.ServiceAsync(d.Batches(TandemIngest.BatchSize), dir)));
if (only.Contains("scored"))
    modes.Add(("scored", $"Tandem TouchIngestor with scoring and automatic MQL (starter definition active), batches of {TandemIngest.BatchSize:N0}",
        (d, dir) => TandemIngest.ScoredAsync(d.Batches(TandemIngest.BatchSize), dir)));
if (only.Contains("http"))
    modes.Add(("http", $"Tandem POST /api/touches:batch on Kestrel, batches of {TandemIngest.BatchSize:N0}", (d, dir) => TandemIngest.HttpAsync(d.Batches(TandemIngest.BatchSize), dir)));
var times = modes.ToDictionary(m => m.Name, _ => new List<double>());
var warmup = new BenchData(Math.Min(touches, 20_000));
for (var r = -1; r < runs; r++)
    foreach (var (name, _, run) in modes)
    {
        var dir = Path.Combine(root, $"{name}-{r + 1}");
        var seconds = (await run(r < 0 ? warmup : data, dir)).TotalSeconds;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
        if (r < 0) continue;
        times[name].Add(seconds);
        Console.WriteLine($"  {name} run {r + 1}: {seconds:0.00} s, {touches / seconds:N0} touches/s");
    }
double? raw = times.TryGetValue("raw", out var rt) ? touches / Median(rt) : null;
foreach (var (name, label, _) in modes)
{
    var s = Median(times[name]);
    rows.Add($"| {label} | {s:0.00} | {touches / s:N0} | {(raw is { } x ? $"{touches / s / x:0.00}" : "n/a")} |");
}
if (only.Contains("demo"))
    foreach (var people in skipBig ? [DemoOptions.DefaultPeople] : new[] { DemoOptions.DefaultPeople, 1_000_000 })
    {
        var dir = Path.Combine(root, $"demo-{people}");
        var clock = Stopwatch.StartNew();
        var code = await CliApp.RunAsync(["demo", "--data", dir, "--people", people.ToString(CultureInfo.InvariantCulture)]);
        if (code != 0) throw new InvalidOperationException($"tandem demo exited with {code}");
        rows.Add($"| `tandem demo --people {people:N0}` (one run) | {clock.Elapsed.TotalSeconds:0.00} | {people / clock.Elapsed.TotalSeconds:N0} people/s | |");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
if (only.Contains("calendar")) rows.AddRange(CalendarBench.Run(1_000_000));

var md = new StringBuilder()
    .AppendLine($"Touch ingestion into SQLite, {data.People:N0} people + {touches:N0} touches; medians of {runs} runs; " +
                $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, .NET {Environment.Version}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd}.")
    .AppendLine()
    .AppendLine("| measurement | seconds | rows/s | Tandem / raw |")
    .AppendLine("|---|---:|---:|---:|");
foreach (var row in rows) md.AppendLine(row);
Console.WriteLine();
Console.WriteLine(md);
var results = Path.Combine(FindRepo(), "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, "latest.md"), md.ToString());
Console.WriteLine($"Written to {Path.Combine(results, "latest.md")}");
if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
return 0;

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

int Arg(string name, int fallback) => ArgText(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string? ArgText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string FindRepo()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Tandem.slnx"))) return d.FullName;
    return Directory.GetCurrentDirectory();
}
