using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Notifications;
using Tandem.Features.Plan;

namespace Tandem.Features.Learning;

/// <summary>Settings of section "Learning" (TANDEM_LEARNING__RETRAINEVERY). The company time zone is Plan:TimeZone.</summary>
public sealed class LearningOptions
{
    public const string Section = "Learning";

    /// <summary>When the scheduled retrain runs: a weekday and a time in the company time zone, such as "Monday 06:00".
    /// Empty (the default): never; train on demand with `tandem learn train`.</summary>
    public string? RetrainEvery { get; set; }

    /// <summary>Runs the scheduled retrain in the background (off in tests that drive the passes themselves).</summary>
    public bool RunInBackground { get; set; } = true;

    public string? Problem() => string.IsNullOrWhiteSpace(RetrainEvery) || RetrainSchedule.Parse(RetrainEvery) is not null ? null
        : $"Learning:RetrainEvery: '{RetrainEvery}' is not a weekday and a time such as \"Monday 06:00\".";
}

/// <summary>A weekly moment in the company's zone, and which week's run is due (pure).</summary>
public sealed record RetrainSchedule(IsoDayOfWeek Day, LocalTime Time)
{
    /// <summary>"Monday 06:00", "mon 6:00", "Sunday 23:30"; null when it is not one.</summary>
    public static RetrainSchedule? Parse(string? text)
    {
        var parts = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return null;
        var day = Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None)
            .Where(d => d.ToString().StartsWith(parts[0], StringComparison.OrdinalIgnoreCase) && parts[0].Length >= 3).ToList();
        if (day.Count != 1) return null;
        if (!TimeOnly.TryParseExact(parts[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return null;
        return new RetrainSchedule(day[0], new LocalTime(t.Hour, t.Minute));
    }

    /// <summary>The latest scheduled moment at or before <paramref name="utcNow"/>, in UTC: the run that is due now. A moment
    /// skipped by a daylight-saving jump runs at the first valid instant after it.</summary>
    public DateTime LatestAtOrBefore(DateTime utcNow, DateTimeZone zone)
    {
        var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
        var date = local.Date;
        while (date.DayOfWeek != Day) date = date.PlusDays(-1);
        var at = ToUtc(date + Time, zone);
        return at <= utcNow ? at : ToUtc(date.PlusWeeks(-1) + Time, zone);
    }

    private static DateTime ToUtc(LocalDateTime t, DateTimeZone zone) => t.InZoneLeniently(zone).ToDateTimeUtc();
}

/// <summary>
/// The weekly retrain, safe on any number of instances (decisions 0075, 0091). The claim is the model's own row: an instance reads the
/// highest model number, then checks that nobody has claimed this week's run, then inserts row number+1 with status Training.
/// The unique index on the number lets one of two racing inserts win, and any claim made before the read is seen by the check,
/// so exactly one instance trains. The row is then filled with the model (a candidate: a person still promotes it) or the refusal.
/// <para>The claim is a lease: while training, the instance renews the row's UpdatedAt every <see cref="Heartbeat"/>. A Training row
/// not renewed for <see cref="Lease"/> belongs to an instance that died; the next pass takes it over by a conditional update that
/// also bumps its Version, so of several instances exactly one wins, and the dead (or stalled) one can no longer write the row:
/// its save checks the Version it claimed with.</para>
/// </summary>
public sealed class RetrainRunner(Storage storage, TimeProvider clock, InsightStore insight, IOptions<LearningOptions> options,
    IOptions<PlanOptions> plan, ILogger<RetrainRunner> log)
{
    public const string Actor = "schedule";

    /// <summary>How long a claim holds without a renewal. Far above <see cref="Heartbeat"/>, so a busy instance keeps its claim
    /// even when a renewal is late; far below the 15-minute pass, so a dead instance's week is retrained at the next pass.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    public RetrainSchedule? Schedule => RetrainSchedule.Parse(options.Value.RetrainEvery);
    public bool RunInBackground => options.Value.RunInBackground;

    /// <summary>Trains this week's model if it is due and nobody has; the stored row (a candidate, or refused), or null.</summary>
    public async Task<LearnedModel?> RunOnceAsync(CancellationToken ct)
    {
        if (Schedule is not { } schedule) return null;
        await using var db = storage.Open(clock);
        db.Actor = "system:learning";
        var due = schedule.LatestAtOrBefore(db.UtcNow, plan.Value.Zone());
        var claim = await TakeOverStaleAsync(db, due, ct);
        if (claim is null)
        {
            // The order matters: the highest number first, then the check (see the class comment).
            var highest = await db.LearnedModels.MaxAsync(m => (int?)m.Number, ct) ?? 0;
            if (await db.LearnedModels.AnyAsync(m => m.TrainedBy == Actor && m.TrainedAt >= due, ct)) return null;
            var target = (await Models.ActiveAsync(db, ct))?.Target ?? new LearnTarget();
            claim = new LearnedModel
            {
                Number = highest + 1, Status = ModelStatus.Training, Label = target.Label, Start = target.Start, HorizonDays = target.HorizonDays,
                Trainer = "", TrainedAt = db.UtcNow, TrainedBy = Actor, Features = "{}", Report = "", Model = [],
            };
            db.LearnedModels.Add(claim);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException)
            {
                return null; // another instance took this number first: its claim stands
            }
            log.LogInformation("Weekly retrain: model #{Number} claimed ({Target}).", claim.Number, target.Sentence);
        }
        return await TrainAsync(db, claim, ct);
    }

    /// <summary>Takes over this week's claim when the instance that made it stopped renewing it; null when there is none to take
    /// (or another instance took it first). A stale claim of an earlier week is marked Refused: a newer run replaces it.</summary>
    private async Task<LearnedModel?> TakeOverStaleAsync(TandemDb db, DateTime due, CancellationToken ct)
    {
        var now = db.UtcNow;
        var expired = now - Lease;
        var stale = await db.LearnedModels.AsNoTracking()
            .Where(m => m.Status == ModelStatus.Training && m.UpdatedAt < expired)
            .Select(m => new { m.Id, m.Number, m.Version, m.TrainedAt }).ToListAsync(ct);
        foreach (var s in stale.Where(s => s.TrainedAt < due))
        {
            var why = "The instance training this scheduled retrain stopped before it finished; a later week's run replaces it.";
            await db.LearnedModels.Where(m => m.Id == s.Id && m.Status == ModelStatus.Training && m.Version == s.Version)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, ModelStatus.Refused).SetProperty(m => m.Report, why)
                    .SetProperty(m => m.Version, s.Version + 1).SetProperty(m => m.UpdatedAt, now), ct);
        }
        foreach (var s in stale.Where(s => s.TrainedAt >= due))
        {
            // One conditional update: of instances racing for the same stale row, only the one whose Version still matches wins.
            var took = await db.LearnedModels.Where(m => m.Id == s.Id && m.Status == ModelStatus.Training && m.Version == s.Version)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Version, s.Version + 1).SetProperty(m => m.UpdatedAt, now), ct);
            if (took != 1) continue;
            log.LogWarning("Weekly retrain: model #{Number} was claimed by an instance that stopped renewing its claim; this instance trains it.", s.Number);
            return await db.LearnedModels.FirstAsync(m => m.Id == s.Id, ct);
        }
        return null;
    }

    private async Task<LearnedModel?> TrainAsync(TandemDb db, LearnedModel claim, CancellationToken ct)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stopBeating = new CancellationTokenSource();
        var beating = RenewAsync(claim.Id, claim.Version, lost, stopBeating.Token);
        try
        {
            var active = await Models.ActiveAsync(db, ct);
            var target = claim.Target;
            // Leaks a person confirmed for the active model stay confirmed; anything else the leak guard decides again.
            var confirmed = active?.Parsed().Leaks.Where(l => l.Confirmed).Select(l => l.Feature).ToHashSet() ?? [];
            var facts = await insight.GetAsync(db, ct);
            var (model, refusal) = await Models.TrainAsync(db, facts, target, TrainChoices.None with { Confirmed = confirmed }, Actor, null, lost.Token, claim);
            if (model is not null)
            {
                log.LogInformation("Weekly retrain: model #{Number} stored as a candidate, test AUC {Auc:0.000}.", model.Number, model.TestAuc);
                return model;
            }
            return await RefuseAsync(db, claim, refusal!, ct);
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || (e is OperationCanceledException && lost.IsCancellationRequested && !ct.IsCancellationRequested))
        {
            // The lease ran out and another instance took the row over: what it records stands.
            log.LogWarning("Weekly retrain of model #{Number}: another instance took the claim over; this result is dropped.", claim.Number);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Weekly retrain of model #{Number} failed.", claim.Number);
            return await RefuseAsync(db, claim, $"Training failed: {e.Message}", ct);
        }
        finally
        {
            await stopBeating.CancelAsync();
            await beating;
        }
    }

    /// <summary>Renews the claim every <see cref="Heartbeat"/> while training runs, on a connection of its own; when the row is no
    /// longer this instance's (taken over after a stall), cancels the training through <paramref name="lost"/>.</summary>
    private async Task RenewAsync(int id, int version, CancellationTokenSource lost, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Heartbeat, clock, stop);
                await using var db = storage.Open(clock);
                var now = db.UtcNow;
                var renewed = await db.LearnedModels.Where(m => m.Id == id && m.Status == ModelStatus.Training && m.Version == version)
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.UpdatedAt, now), stop);
                if (renewed == 0)
                {
                    await lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) { return; }
            catch (Exception e) { log.LogWarning(e, "Weekly retrain: renewing the claim on model row {Id} failed; trying again.", id); }
        }
    }

    /// <summary>Marks the claim Refused, only while it is still this instance's (its Version unchanged since the claim).</summary>
    private async Task<LearnedModel?> RefuseAsync(TandemDb db, LearnedModel claim, string why, CancellationToken ct)
    {
        var version = claim.Version;
        db.ChangeTracker.Clear();
        var row = await db.LearnedModels.FirstAsync(m => m.Id == claim.Id, ct);
        if (row.Status != ModelStatus.Training || row.Version != version) return null;
        row.Status = ModelStatus.Refused;
        row.Report = why;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return null; }
        log.LogWarning("Weekly retrain: model #{Number} could not learn: {Why}", row.Number, why);
        return row;
    }
}

/// <summary>Runs <see cref="RetrainRunner"/> every 15 minutes on every instance when a schedule is set (the database keeps each week's
/// run to one).</summary>
public sealed class RetrainJob(RetrainRunner runner, TimeProvider clock, ILogger<RetrainJob> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (runner.Schedule is null || !runner.RunInBackground) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await runner.RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogError(e, "The retrain pass failed; trying again in {Interval}.", Interval); }
            try { await Task.Delay(Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

public static class LearningSetup
{
    public static WebApplicationBuilder AddLearning(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<LearningOptions>().BindConfiguration(LearningOptions.Section).ValidateOnStart();
        s.AddSingleton<IValidateOptions<LearningOptions>>(new SettingsCheck<LearningOptions>(o => o.Problem()));
        // Read per run through IOptionsMonitor (decision 0091): a changed appsettings.json shows on the next request, no restart.
        s.AddOptions<EconomicsSettings>().BindConfiguration(EconomicsSettings.Section);
        s.AddSingleton<IValidateOptions<EconomicsSettings>>(new SettingsCheck<EconomicsSettings>(o => o.Problem()));
        s.AddSingleton<RetrainRunner>();
        s.AddHostedService<RetrainJob>();
        return builder;
    }
}
