using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;

namespace Tandem.Features.Learning;

/// <summary>
/// Training, storing, promoting and loading models. Training only ever adds a candidate; the active model changes when a
/// person promotes one (decision 0068).
/// </summary>
public static class Models
{
    private static readonly ConcurrentDictionary<(int Id, int Version), ModelScorer> Loaded = new();

    /// <summary>Trains on the history in <paramref name="f"/> and stores the result as a candidate; or the refusal in words.
    /// <paramref name="claimed"/>: the row a scheduled retrain claimed (status Training), filled in instead of a new one.</summary>
    public static async Task<(LearnedModel? Model, string? Refusal)> TrainAsync(TandemDb db, InsightFacts f, LearnTarget target,
        TrainChoices choices, string actor, IProgress<string>? progress, CancellationToken ct, LearnedModel? claimed = null)
    {
        var now = db.UtcNow;
        progress?.Report("reading features at each decision time");
        var ex = await FeatureExtractor.ExtractAsync(f, db, target, now, ct);
        var (split, refusal) = Splitter.Split(ex, target);
        if (split is null) return (null, refusal);
        choices = choices with { Capacity = choices.Capacity ?? await CapacityAsync(db, ct) };
        var trained = Trainer.Train(ex, split, target, choices, progress);
        if (await ActiveDefinition.LoadAsync(db, ct) is { } def)
            trained.Report.RuleAuc = RuleAuc(f, def, ex, split.Test);
        var row = claimed ?? new LearnedModel
        {
            Number = (await db.LearnedModels.MaxAsync(m => (int?)m.Number, ct) ?? 0) + 1,
            Trainer = "", TrainedBy = actor, Features = "", Report = "", Model = [],
        };
        (row.Status, row.Label, row.Start, row.HorizonDays) = (ModelStatus.Candidate, target.Label, target.Start, target.HorizonDays);
        (row.Trainer, row.TestAuc, row.WindowFrom, row.WindowTo) = (trained.Report.Chosen, trained.Report.Auc, split.From, split.To);
        (row.TrainedAt, row.TrainedBy) = (now, actor);
        row.Features = JsonSerializer.Serialize(trained.Spec, LearnedModel.Json);
        row.Report = JsonSerializer.Serialize(trained.Report, LearnedModel.Json);
        row.Model = trained.Model;
        if (claimed is null) db.LearnedModels.Add(row);
        await db.SaveChangesAsync(ct);
        return (row, null);
    }

    /// <summary>The test AUC of the active lead definition's engagement score at each person's decision time.</summary>
    internal static double RuleAuc(InsightFacts f, ActiveDefinition def, Examples ex, int[] test)
    {
        var timeline = Timeline.Of(f);
        var scores = new double[test.Length];
        for (var i = 0; i < test.Length; i++)
        {
            var r = test[i];
            var decision = Clock.ToDate(ex.Decision[r]);
            var state = def.Scoring.NewState();
            foreach (ref readonly var t in timeline.TouchesOf(ex.Person[r]))
            {
                if (t.At > decision) break;
                def.Scoring.Apply(state, t);
            }
            scores[i] = def.Scoring.ScoreAt(state, decision);
        }
        return ModelMetrics.Auc(scores, [.. test.Select(r => ex.Label[r])]);
    }

    /// <summary>Sales capacity per week: the open leads the routing seats that are not away may hold; null without any.</summary>
    public static async Task<int?> CapacityAsync(TandemDb db, CancellationToken ct)
    {
        var seats = await db.RoutingSeats.AsNoTracking().Where(s => !s.IsAway && s.Capacity != null).Select(s => s.Capacity!.Value).ToListAsync(ct);
        return seats.Count == 0 ? null : seats.Sum();
    }

    public static Task<LearnedModel?> ActiveAsync(TandemDb db, CancellationToken ct) =>
        db.LearnedModels.AsNoTracking().FirstOrDefaultAsync(m => m.Status == ModelStatus.Active, ct);

    public static Task<LearnedModel?> FindAsync(TandemDb db, int number, CancellationToken ct) =>
        db.LearnedModels.AsNoTracking().FirstOrDefaultAsync(m => m.Number == number, ct);

    /// <summary>The model the report shows by default: the active one, else the newest.</summary>
    public static async Task<LearnedModel?> CurrentAsync(TandemDb db, CancellationToken ct) =>
        await ActiveAsync(db, ct) ?? await db.LearnedModels.AsNoTracking()
            .Where(m => m.Status == ModelStatus.Candidate || m.Status == ModelStatus.Retired).OrderByDescending(m => m.Number).FirstOrDefaultAsync(ct);

    public static ModelScorer Scorer(LearnedModel m) => Loaded.GetOrAdd((m.Id, m.Version), _ => new ModelScorer(m));

    public enum PromoteOutcome { Promoted, NotFound, AlreadyActive, NeedsConfirmation, Conflict, NotReady }

    /// <summary>
    /// Makes model <paramref name="number"/> the active one (the previous one retires). A model that predicts something else
    /// than the active one (another label, start or horizon) needs <paramref name="confirmed"/>: the message says what changes.
    /// </summary>
    public static async Task<(PromoteOutcome Outcome, string Message)> PromoteAsync(TandemDb db, int number, string person, bool confirmed, CancellationToken ct)
    {
        var model = await db.LearnedModels.FirstOrDefaultAsync(m => m.Number == number, ct);
        if (model is null) return (PromoteOutcome.NotFound, $"There is no model #{number}.");
        if (model.Status == ModelStatus.Active) return (PromoteOutcome.AlreadyActive, $"Model #{number} is already active.");
        if (!model.IsTrained)
            return (PromoteOutcome.NotReady, model.Status == ModelStatus.Training
                ? $"Model #{number} is still being trained by the weekly retrain; promote it once it is done."
                : $"Model #{number} is a weekly retrain that could not learn, so there is nothing to promote: {model.Report}");
        var active = await db.LearnedModels.FirstOrDefaultAsync(m => m.Status == ModelStatus.Active, ct);
        if (active is not null && active.Target != model.Target && !confirmed)
            return (PromoteOutcome.NeedsConfirmation,
                $"Warning: model #{number} predicts \"{model.Target.Sentence}\", but the active model #{active.Number} predicts " +
                $"\"{active.Target.Sentence}\". Scores would change meaning. Confirm to promote it anyway.");
        if (active is not null) active.Status = ModelStatus.Retired;
        model.Status = ModelStatus.Active;
        model.PromotedAt = db.UtcNow;
        model.PromotedBy = person;
        // The audit trail, as for other admin actions: who made which model score people, what retired, and whether a change
        // of meaning was confirmed. Saved in the same transaction as the promotion, so neither exists without the other.
        db.Activity.Add(new Activity.ActivityEntry
        {
            At = db.UtcNow, Actor = db.Actor, SubjectKind = SubjectKind.Model, SubjectId = model.Number, Kind = "model.promoted",
            Detail = JsonSerializer.Serialize(new
            {
                number = model.Number, target = model.Target.Sentence, promotedBy = person, retired = active?.Number,
                confirmedDifferentTarget = active is not null && active.Target != model.Target,
            }),
        });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            return (PromoteOutcome.Conflict, "Another promotion happened at the same time; look at the models again.");
        }
        return (PromoteOutcome.Promoted, active is null ? $"Model #{number} is now active." : $"Model #{number} is now active; model #{active.Number} retired.");
    }

    /// <summary>One person under the active model; null when there is no active model or no such person.</summary>
    public static async Task<Explanation?> ExplainAsync(TandemDb db, InsightFacts f, int personId, CancellationToken ct)
    {
        var position = f.PersonIndex(personId);
        if (position < 0 || await ActiveScorerAsync(db, ct) is not { } scorer) return null;
        var ex = await FeatureExtractor.ExtractAsync(f, db, scorer.Row.Target, db.UtcNow, ct, [position]);
        var e = scorer.Explain(ex, 0);
        return e with { Raising = [.. e.Raising.Select(x => Words.Show(x, f.Channels))], Lowering = [.. e.Lowering.Select(x => Words.Show(x, f.Channels))] };
    }

    /// <summary>The active model loaded once per process (and again when it changes); its bytes are read only then.</summary>
    public static async Task<ModelScorer?> ActiveScorerAsync(TandemDb db, CancellationToken ct)
    {
        var key = await db.LearnedModels.AsNoTracking().Where(m => m.Status == ModelStatus.Active).Select(m => new { m.Id, m.Version }).FirstOrDefaultAsync(ct);
        if (key is null) return null;
        if (Loaded.TryGetValue((key.Id, key.Version), out var loaded)) return loaded;
        return Scorer(await db.LearnedModels.AsNoTracking().FirstAsync(m => m.Id == key.Id, ct));
    }

    /// <summary>A scoring pass over everyone: each person's probability, and the drift since training stored in the report.</summary>
    public static async Task<(int[] Person, double[] Probability)> ScoreEveryoneAsync(TandemDb db, InsightFacts f, LearnedModel model, CancellationToken ct)
    {
        var ex = await FeatureExtractor.ExtractAsync(f, db, model.Target, db.UtcNow, ct, Enumerable.Range(0, f.PeopleCount).ToArray());
        var scorer = Scorer(model);
        var (p, drift) = scorer.ScoreWithDrift(ex);
        var report = model.Parsed();
        report.Drift = drift;
        report.DriftAt = db.UtcNow;
        // Concurrent passes each write their own drift; the later one wins, which is what "the latest pass" means.
        if (await db.LearnedModels.FirstOrDefaultAsync(m => m.Id == model.Id, ct) is { } row)
        {
            row.Report = JsonSerializer.Serialize(report, LearnedModel.Json);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateConcurrencyException) { /* another pass stored its drift first */ }
        }
        return ([.. ex.Person.Select(i => f.PersonId[i])], p);
    }

    /// <summary>
    /// Proposes a lead definition from the current model's outcomes and stores it as a draft of the existing flow (based on
    /// the active version), so it is diffed, replayed in the what-if and approved by both teams like any other draft.
    /// </summary>
    public static async Task<(LeadDefinition? Draft, Suggestion? Suggestion, string? Refusal)> SuggestAsync(TandemDb db, InsightFacts f, CancellationToken ct)
    {
        var model = await CurrentAsync(db, ct);
        if (model is null) return (null, null, "No model has been trained yet: run `tandem learn train` first.");
        var ex = await FeatureExtractor.ExtractAsync(f, db, model.Target, db.UtcNow, ct);
        var (split, refusal) = Splitter.Split(ex, model.Target);
        if (split is null) return (null, null, refusal);
        var active = await ActiveDefinition.LoadAsync(db, ct);
        var suggestion = DefinitionSuggester.Suggest(f, ex, split, active?.Content ?? StarterDefinition.Content, active?.Content,
            await CapacityAsync(db, ct), model.Number);
        var errors = DefinitionValidation.Validate(suggestion.Content);
        if (errors.Any) return (null, suggestion, "The suggestion is not a valid definition: " + string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
        var draft = await Definitions.CreateDraftAsync(db, suggestion.Content, suggestion.Note, active?.Row, ct);
        return (draft, suggestion, null);
    }
}
