using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Notifications;

namespace Tandem.Features.Lifecycle;

/// <summary>Re-evaluation settings (configuration section "Reevaluation").</summary>
public sealed class ReevaluationOptions
{
    public const string Section = "Reevaluation";
    /// <summary>People per batch: one transaction each, so ingestion waits at most one batch for the rows it shares.</summary>
    public int BatchSize { get; set; } = 500;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Off in tests that drive <see cref="ReevaluationRunner.RunOnceAsync"/> themselves.</summary>
    public bool RunInBackground { get; set; } = true;

    public string? Problem() =>
        BatchSize < 1 ? "Reevaluation:BatchSize must be at least 1."
        : PollInterval <= TimeSpan.Zero ? "Reevaluation:PollInterval must be positive."
        : null;
}

/// <summary>What one pass did.</summary>
/// <param name="People">People re-evaluated in activation runs.</param>
/// <param name="Qualified">Of them, people who became MQLs.</param>
/// <param name="Faded">People whose negative score faded back enough to qualify, and became MQLs.</param>
public sealed record ReevaluationPass(int Batches, int People, int Qualified, int Faded);

/// <summary>
/// The scheduled re-evaluation (decision 0085), safe on any number of instances. (1) A run of a version that is no longer
/// active stops. (2) The active version's run first records the what-if's prediction, then works through everyone in
/// batches by person id; each batch claims the run row with a conditional update of its <c>Version</c> in the transaction that
/// qualifies the batch (as the SLA sweeper claims handoffs), so a batch is done once, by one instance, or not at all.
/// (3) People whose stored score is negative and has faded back to the threshold are claimed one by one with a conditional
/// update of their score row (the score brought forward to now, which is the same score) and re-evaluated the same way.
/// Everyone who qualifies goes through <see cref="Transitions"/>: an MQL with the version as cause, routed, SLA clock started.
/// </summary>
public sealed class ReevaluationRunner(Storage storage, TimeProvider clock, WhatIfService whatIf, ReevaluationOptions options,
    ILogger<ReevaluationRunner> log)
{
    public async Task<ReevaluationPass> RunOnceAsync(CancellationToken ct)
    {
        await using var db = storage.Open(clock);
        db.Actor = "system";
        var def = await ActiveDefinition.LoadAsync(db, ct);
        await StopReplacedAsync(db, def, ct);
        if (def is null) return new ReevaluationPass(0, 0, 0, 0);
        var (batches, people, qualified) = (0, 0, 0);
        if (await db.Reevaluations.AsNoTracking().FirstOrDefaultAsync(r => r.DefinitionId == def.Row.Id && r.FinishedAt == null, ct) is { } run)
        {
            if (run.Predicted is null) await PredictAsync(db, run, def.Row, ct);
            while (!ct.IsCancellationRequested)
            {
                var batch = await TransientRetry.InTransactionAsync(db, token => BatchAsync(db, run.Id, token), ct);
                db.ChangeTracker.Clear();
                if (batch is not { } b) break; // finished, or another instance holds it: the next pass looks again
                (batches, people, qualified) = (batches + 1, people + b.People, qualified + b.Qualified);
                if (b.Last)
                {
                    log.LogInformation("Re-evaluation under v{Number} finished: {Qualified} people became MQLs.", def.Row.Number, b.RunQualified);
                    break;
                }
            }
        }
        var faded = await FadedAsync(db, def, ct);
        return new ReevaluationPass(batches, people, qualified, faded);
    }

    /// <summary>Runs of versions that are no longer active end: their people are the newer version's run's now.</summary>
    private static async Task StopReplacedAsync(TandemDb db, ActiveDefinition? def, CancellationToken ct)
    {
        var activeId = def?.Row.Id ?? 0;
        var stale = await db.Reevaluations.AsNoTracking().Where(r => r.FinishedAt == null && r.DefinitionId != activeId).ToListAsync(ct);
        var now = db.UtcNow;
        var because = def is null ? "the version was retired" : $"v{def.Row.Number} replaced it";
        foreach (var r in stale)
            await db.Reevaluations.Where(x => x.Id == r.Id && x.FinishedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FinishedAt, now).SetProperty(x => x.StoppedBecause, because), ct);
    }

    /// <summary>
    /// The what-if's count, recorded before the first batch (a batch waits for it), so it is a prediction and not a count of the
    /// run's own MQLs. The first instance to record it wins; a what-if that fails records -1 ("could not be worked out") so the
    /// run is not held up.
    /// </summary>
    private async Task PredictAsync(TandemDb db, Reevaluation run, LeadDefinition active, CancellationToken ct)
    {
        int predicted;
        var older = run.PreviousDefinitionId is { } p ? await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == p, ct) : null;
        try
        {
            predicted = older is null ? -1 : await whatIf.PredictGainAsync(db, active, older, WhatIfService.DefaultMonths, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "The what-if prediction for v{Number}'s re-evaluation failed; the run goes on without it.", active.Number);
            predicted = -1;
        }
        await db.Reevaluations.Where(x => x.Id == run.Id && x.Predicted == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.Predicted, predicted), ct);
    }

    private readonly record struct Batch(int People, int Qualified, bool Last, int RunQualified);

    /// <summary>One batch in the caller's transaction: claim the run row, re-evaluate the next people by id, record the progress.</summary>
    private async Task<Batch?> BatchAsync(TandemDb db, int runId, CancellationToken ct)
    {
        var r = await db.Reevaluations.AsNoTracking().FirstAsync(x => x.Id == runId, ct);
        if (r.FinishedAt is not null || r.Predicted is null) return null;
        var version = r.Version;
        if (await db.Reevaluations.Where(x => x.Id == runId && x.Version == version && x.FinishedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, version + 1), ct) != 1)
            return null; // another instance claimed this batch
        var now = db.UtcNow;
        var total = r.StartedAt is null ? await db.People.CountAsync(ct) : r.Total;
        var after = r.LastPersonId;
        var ids = await db.People.AsNoTracking().Where(p => p.Id > after).OrderBy(p => p.Id).Select(p => p.Id).Take(options.BatchSize).ToListAsync(ct);
        var qualified = ids.Count == 0 ? 0 : await Transitions.ReevaluateAsync(db, ids, ct);
        var last = ids.Count < options.BatchSize;
        var (done, sum, lastId, started) = (r.Done + ids.Count, r.Qualified + qualified, ids.Count > 0 ? ids[^1] : after, r.StartedAt ?? now);
        DateTime? finished = last ? now : null;
        await db.Reevaluations.Where(x => x.Id == runId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Total, total).SetProperty(x => x.Done, done).SetProperty(x => x.Qualified, sum)
            .SetProperty(x => x.LastPersonId, lastId).SetProperty(x => x.StartedAt, started).SetProperty(x => x.FinishedAt, finished), ct);
        return new Batch(ids.Count, qualified, last, sum);
    }

    /// <summary>
    /// A score fades towards zero, so with time alone only a negative score rises, and it can reach only a threshold below
    /// zero. Such people (eligible, fit enough, under the active version) are found by the stored score, claimed one by one
    /// by bringing their stored score forward to now (the same score: decay multiplies), and re-evaluated in that transaction.
    /// </summary>
    private async Task<int> FadedAsync(TandemDb db, ActiveDefinition def, CancellationToken ct)
    {
        var q = def.Content.Qualify;
        if (q.Threshold >= 0 || def.Content.Engagement.HalfLifeDays is null) return 0;
        double threshold = q.Threshold;
        var now = db.UtcNow;
        var defId = def.Row.Id;
        var rows = await (from s in db.LeadScores.AsNoTracking()
                          join p in db.People on s.PersonId equals p.Id
                          where s.DefinitionId == defId && s.Score < threshold
                                && (p.Stage == LifecycleStage.Inquiry || (p.Stage == LifecycleStage.Nurture && (p.ReengageAt == null || p.ReengageAt <= now)))
                          orderby s.PersonId
                          select new { s.PersonId, s.Score, s.ScoredAt, s.Grade }).Take(options.BatchSize).ToListAsync(ct);
        var due = rows.Select(r => (r.PersonId, r.Score, r.ScoredAt, Now: r.Score * def.Scoring.Decay(now.Ticks - r.ScoredAt.Ticks), r.Grade))
            .Where(r => r.Now >= threshold && r.Grade <= q.MinFit).ToList();
        if (due.Count == 0) return 0;
        return await TransientRetry.InTransactionAsync(db, async token =>
        {
            var claimed = new List<int>(due.Count);
            foreach (var r in due)
                if (await db.LeadScores.Where(x => x.PersonId == r.PersonId && x.DefinitionId == defId && x.ScoredAt == r.ScoredAt && x.Score == r.Score)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Score, r.Now).SetProperty(x => x.ScoredAt, now), token) == 1)
                    claimed.Add(r.PersonId);
            return claimed.Count == 0 ? 0 : await Transitions.ReevaluateAsync(db, claimed, token);
        }, ct);
    }
}

/// <summary>The background loop: a pass at start, then one per poll interval, on every instance (the database keeps each batch to one).</summary>
public sealed class ReevaluationJob(ReevaluationRunner runner, ReevaluationOptions options, TimeProvider clock, ILogger<ReevaluationJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await runner.RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogError(e, "The re-evaluation pass failed; trying again in {Interval}.", options.PollInterval); }
            try { await Task.Delay(options.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

public static class ReevaluationSetup
{
    public static WebApplicationBuilder AddReevaluation(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<ReevaluationOptions>().BindConfiguration(ReevaluationOptions.Section).ValidateOnStart();
        s.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ReevaluationOptions>>(new SettingsCheck<ReevaluationOptions>(o => o.Problem()));
        s.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReevaluationOptions>>().Value);
        s.AddSingleton<ReevaluationRunner>();
        s.AddHostedService<ReevaluationJob>();
        return builder;
    }
}
