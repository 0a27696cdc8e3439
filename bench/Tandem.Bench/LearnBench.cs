using System.Diagnostics;
using System.Globalization;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Learning;

namespace Tandem.Bench;

/// <summary>
/// `learn --data DIR | --postgres CONNSTR [--runs 3] [--touches 20] [--caps 50000,all]`: Learning over an existing (demo) database, in process. Baseline in the same run: the
/// Insight facts' full load (the history every report and the trainer read). Measured, each as a median: feature
/// extraction, training (split, both models, leak checks, permutation importance), the two together, and a scoring pass
/// over everyone (extraction for all people plus ML.NET's predictions, drift stored). Peak working set at the end.
/// </summary>
internal static class LearnBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(InsightBench.ArgText(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var storage = InsightBench.StorageOf(args, "learn");
        await using var db = storage.Open();
        // Migrated: the facts read the current schema (a demo made before the channels table would fail to load).
        await Storage.MigrateAsync(db);
        var target = new LearnTarget();
        var (load, extract, train, score) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var (scoreExtract, scorePredict) = (new List<double>(), new List<double>());
        // Where training's time goes: each stage the trainer reports, with the seconds since the previous one (the profile).
        var stages = new List<string>();
        var since = Stopwatch.StartNew();
        string? stage = null;
        void Stage(string? next)
        {
            if (stage is not null) stages.Add($"  {since.Elapsed.TotalSeconds,7:0.00} s  {stage}");
            (stage, since) = (next, Stopwatch.StartNew());
        }
        var profile = new SyncProgress(s => Stage(s));
        // The peak working set after each step: where the memory of a run goes (printed below the table).
        var peaks = new List<string>();
        void Peak(string after)
        {
            using var me = Process.GetCurrentProcess();
            peaks.Add($"  {me.PeakWorkingSet64 / 1024.0 / 1024 / 1024,5:0.00} GB peak, {GC.GetTotalMemory(false) / 1024.0 / 1024 / 1024,5:0.00} GB managed, after {after}");
        }
        LearnReport? report = null;
        var (peopleCount, touchCount, firstRunPeak) = (0, 0L, 0L);
        // Touches stream in during the timed runs (`--touches N` a second, 20 by default), as on a live server.
        var rate = int.Parse(InsightBench.ArgText(args, "--touches") ?? "20", CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var stream = rate > 0 ? TouchStream.RunAsync(storage, rate, stop.Token) : Task.FromResult(0);
        for (var r = 0; r < runs; r++)
        {
            // Each run is its own method and starts after a full collection, so the last run's facts and scores are unreachable.
            // Some of them still survive it (a heap dump on PostgreSQL found 0.9 GB of arrays with no root left: stale references
            // on worker threads, gone later), so later runs in one process peak higher than a process that trains once. The
            // product trains once per pass; run 1's peak is its figure.
            GC.Collect();
            if (r > 0) Peak($"run {r + 1}, start (the last run's facts dropped)");
            await OneRunAsync(r);
        }
        async Task OneRunAsync(int r)
        {
            InsightFacts facts = null!;
            load.Add(await Time(async () => facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), default)));
            Peak($"run {r + 1}, facts loaded");
            Examples ex = null!;
            extract.Add(await Time(async () => ex = await FeatureExtractor.ExtractAsync(facts, db, target, db.UtcNow, default)));
            Peak($"run {r + 1}, features extracted");
            Trained trained = null!;
            train.Add(await Time(() =>
            {
                var (split, refusal) = Splitter.Split(ex, target);
                stages.Clear();
                Stage("time split, leak checks (single-feature AUC)");
                trained = Trainer.Train(ex, split ?? throw new InvalidOperationException(refusal), target, TrainChoices.None, profile);
                Stage(null);
                return Task.CompletedTask;
            }));
            Peak($"run {r + 1}, trained");
            report = trained.Report;
            var row = new LearnedModel
            {
                Trainer = report.Chosen, TrainedBy = "bench", Model = trained.Model, Report = System.Text.Json.JsonSerializer.Serialize(report, LearnedModel.Json),
                Features = System.Text.Json.JsonSerializer.Serialize(trained.Spec, LearnedModel.Json), Id = -1 - r,
            };
            ex = null!;
            score.Add(await Time(async () =>
            {
                // What Models.ScoreEveryoneAsync does, but for storing the drift.
                Examples all = null!;
                scoreExtract.Add(await Time(async () =>
                    all = await FeatureExtractor.ExtractAsync(facts, db, target, db.UtcNow, default, Enumerable.Range(0, facts.PeopleCount).ToArray())));
                scorePredict.Add(await Time(() =>
                {
                    var scorer = new ModelScorer(row);
                    var (p, _) = scorer.ScoreWithDrift(all);
                    if (p.Length != facts.PeopleCount) throw new InvalidOperationException("not everyone was scored");
                    return Task.CompletedTask;
                }));
            }));
            Peak($"run {r + 1}, everyone scored");
            if (r == 0) firstRunPeak = Process.GetCurrentProcess().PeakWorkingSet64;
            (peopleCount, touchCount) = (facts.PeopleCount, facts.TouchCount);
        }
        await stop.CancelAsync();
        var streamed = await stream;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024 / 1024;
        var firstPeak = firstRunPeak / 1024.0 / 1024 / 1024;
        var both = extract.Zip(train, (a, b) => a + b).ToList();
        var baseline = Median(load);
        var lines = new List<string>
        {
            $"{storage.Provider}: people {peopleCount:N0}, touches {touchCount:N0}; test AUC {report!.Auc:0.000} ({report.Chosen}), {report.Train.People:N0} people trained on",
            "| measurement | median | / baseline |", "|---|---:|---:|",
            Row("baseline: Insight facts, full load", baseline, baseline),
            Row("feature extraction (everyone with a decision time)", Median(extract), baseline),
            Row("training (split, both models, leak checks, importance)", Median(train), baseline),
            Row("extraction + training", Median(both), baseline),
            Row("scoring everyone (extraction + predictions + drift)", Median(score), baseline),
            Row("  of which: extraction for everyone", Median(scoreExtract), baseline),
            Row("  of which: encoding, predictions and drift", Median(scorePredict), baseline),
            $"peak working set of run 1, as a process that trains once: {firstPeak:0.00} GB (facts included); of all {runs} runs in one process: {peak:0.00} GB",
            $"touches streamed in during the timed runs: {streamed:N0} ({rate} a second asked)",
        };
        lines.Add("memory, step by step:");
        lines.AddRange(peaks);
        lines.Add("training stages (last run):");
        lines.AddRange(stages);
        foreach (var l in lines) Console.WriteLine(l);
        Directory.CreateDirectory("bench/results");
        await File.WriteAllLinesAsync("bench/results/learn.md", lines);
        // `--caps 50000,100000,all`: the same examples trained with each cap on the training people the models see
        // (Trainer.MaxTrainRows), to weigh the cap's cost in held-out AUC against its time. After the timed runs (and written
        // after them), so the peak above is the product's own.
        var caps = new List<string>();
        if (InsightBench.ArgText(args, "--caps") is { } capList)
        {
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), default);
            var ex = await FeatureExtractor.ExtractAsync(facts, db, target, db.UtcNow, default);
            var (split, refusal) = Splitter.Split(ex, target);
            if (split is null) throw new InvalidOperationException(refusal);
            caps.Add("| models see at most | people fed | training | logistic regression: validation / test AUC | boosted trees: validation / test AUC | kept: test AUC |");
            caps.Add("|---|---:|---:|---|---|---|");
            foreach (var c in capList.Split(','))
            {
                var cap = c == "all" ? int.MaxValue : int.Parse(c, CultureInfo.InvariantCulture);
                Trained t = null!;
                var seconds = await Time(() =>
                {
                    t = Trainer.Train(ex, split, target, TrainChoices.None with { MaxTrainRows = cap });
                    return Task.CompletedTask;
                });
                string Auc(string name) => t.Report.Trainers.First(x => x.Trainer == name) is var x ? $"{x.ValidationAuc:0.0000} / {x.TestAuc:0.0000}" : "";
                caps.Add($"| {(cap == int.MaxValue ? "no cap" : cap.ToString("N0", CultureInfo.InvariantCulture))} | {Math.Min(cap, split.Train.Length):N0} | {seconds:0.0} s | " +
                         $"{Auc(Trainer.Logistic)} | {Auc(Trainer.Trees)} | {t.Report.Chosen}: {t.Report.Auc:0.0000} |");
                Console.WriteLine(caps[^1]);
            }
        }
        if (caps.Count > 0)
            await File.AppendAllLinesAsync("bench/results/learn.md", ["", "the cap on training people (same examples, one training each):", .. caps]);
        return 0;
    }

    /// <summary>Reports on the caller's thread at once (Progress&lt;T&gt; posts later, which would blur the stage times).</summary>
    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    private static string Row(string name, double seconds, double baseline) =>
        $"| {name} | {seconds:0.00} s | {seconds / baseline:0.00} |";

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static async Task<double> Time(Func<Task> work)
    {
        var sw = Stopwatch.StartNew();
        await work();
        return sw.Elapsed.TotalSeconds;
    }
}
