using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Learning;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Learning;

/// <summary>Training, storing, promoting and explaining on the demo company, on SQLite and PostgreSQL.</summary>
public class LearnedModelTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_demo_ships_a_promoted_model_a_new_one_waits_for_a_person_and_another_label_needs_confirmation(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (test, _) = await DemoFixture.LoadAsync(provider, 4_000);
        await using var owned = test;
        await using var db = test.Open(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoFixture.Now));

        var demo = await Models.ActiveAsync(db, ct);
        Assert.NotNull(demo);
        Assert.Equal((1, ModelStatus.Active, "demo"), (demo.Number, demo.Status, demo.TrainedBy));
        Assert.NotNull(demo.PromotedBy);
        var report = demo.Parsed();
        Assert.InRange(report.Auc, 0.6, 1.0);
        Assert.Equal(2, report.Trainers.Count);
        Assert.Equal(10, report.Deciles.Count);
        Assert.NotNull(report.RuleAuc);
        Assert.True(report.Test.From >= report.Validation.To && report.Validation.From >= report.Train.To, "the test set is the latest cohort");
        Assert.Contains(report.Dropped, d => d.Name == "touches via Other" || d.Reason.StartsWith("constant") || d.Reason.StartsWith("empty"));

        // A retrained model is a candidate: the active one stays until a person promotes it.
        var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
        var (won, refusal) = await Models.TrainAsync(db, facts, new LearnTarget(LearnLabel.Won, 180, LearnStart.Mql), TrainChoices.None, "test", null, ct);
        Assert.True(won is not null, refusal);
        Assert.Equal(ModelStatus.Candidate, won.Status);
        Assert.Equal(1, (await Models.ActiveAsync(db, ct))!.Number);

        var (outcome, message) = await Models.PromoteAsync(db, won.Number, "Ana", confirmed: false, ct);
        Assert.Equal(Models.PromoteOutcome.NeedsConfirmation, outcome);
        Assert.Contains("won a deal within 180 days of becoming an MQL", message);
        Assert.Contains("reached SQL within 90 days", message);
        Assert.Equal(1, (await Models.ActiveAsync(db, ct))!.Number);

        (outcome, _) = await Models.PromoteAsync(db, won.Number, "Ana", confirmed: true, ct);
        Assert.Equal(Models.PromoteOutcome.Promoted, outcome);
        db.ChangeTracker.Clear();
        var rows = await db.LearnedModels.AsNoTracking().OrderBy(m => m.Number).Select(m => new { m.Number, m.Status, m.PromotedBy }).ToListAsync(ct);
        Assert.Equal([ModelStatus.Retired, ModelStatus.Active], rows.Select(r => r.Status));
        Assert.Equal("Ana", rows[1].PromotedBy);
        Assert.Equal(Models.PromoteOutcome.NotFound, (await Models.PromoteAsync(db, 99, "Ana", false, ct)).Outcome);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_person_is_explained_in_words_and_a_scoring_pass_records_drift(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (test, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var owned = test;
        await using var db = test.Open(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoFixture.Now));
        var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
        var model = (await Models.ActiveAsync(db, ct))!;

        var (people, p) = await Models.ScoreEveryoneAsync(db, facts, model, ct);
        Assert.Equal(facts.PeopleCount, people.Length);
        Assert.All(p, x => Assert.InRange(x, 0, 1));
        Assert.True(p.Distinct().Count() > 10, "scores differ between people");
        db.ChangeTracker.Clear();
        var stored = (await Models.FindAsync(db, model.Number, ct))!.Parsed();
        Assert.NotNull(stored.DriftAt);
        Assert.Equal(model.Spec().Features.Count, stored.Drift.Count);

        // The pass encodes through one reused vector and precomputed category slots: the same vectors and probabilities as
        // encoding each person on their own (the explanations' way), for every person.
        var ex = await FeatureExtractor.ExtractAsync(facts, db, model.Target, db.UtcNow, ct, Enumerable.Range(0, facts.PeopleCount).ToArray());
        var scorer = Models.Scorer(model);
        var columns = scorer.Spec.Columns(ex);
        var encoder = scorer.Spec.Encoder(ex);
        for (var r = 0; r < ex.Count; r += 97) Assert.Equal(scorer.Spec.Encode(columns, r), encoder.Encode(r));
        var one = scorer.Score(Enumerable.Range(0, ex.Count).Select(r => scorer.Spec.Encode(columns, r)));
        Assert.Equal(one, p);
        Assert.Equal(0.875, ModelMetrics.Auc([0.1, 0.4, 0.4, 0.8], [false, true, false, true]), 6);

        // The best-scored person: the explanation's probability is the score, with factors in words.
        var best = people[Array.IndexOf(p, p.Max())];
        var e = await Models.ExplainAsync(db, facts, best, ct);
        Assert.NotNull(e);
        Assert.Equal(p.Max(), e.Probability, 4);
        Assert.NotEmpty(e.Raising);
        Assert.All(e.Raising, f => Assert.Matches(@"^\+\d\.\d\d .+: .+$", f.Sentence));
        Assert.All(e.Lowering, f => Assert.StartsWith("−", f.Sentence));
        Assert.Null(await Models.ExplainAsync(db, facts, -5, ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_suggested_definition_is_a_valid_draft_based_on_the_active_version_with_both_forecasts(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (test, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var owned = test;
        await using var db = test.Open(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoFixture.Now));
        var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
        var active = await db.LeadDefinitions.AsNoTracking().SingleAsync(d => d.Status == Tandem.Features.Agreement.DefinitionStatus.Active, ct);

        var (draft, s, refusal) = await Models.SuggestAsync(db, facts, ct);
        Assert.True(draft is not null, refusal);
        Assert.Equal(Tandem.Features.Agreement.DefinitionStatus.Draft, draft.Status);
        Assert.Equal(active.Id, draft.BasedOnId);
        var content = draft.Parsed();
        Assert.False(Tandem.Features.Agreement.DefinitionValidation.Validate(content).Any);
        Assert.Contains(content.Engagement.Rules, r => r.Name.EndsWith("(learned)"));
        Assert.True(content.Qualify.Threshold >= 1);
        // The forecasts on the latest matured cohort: the draft's beside the active version's, both in the note.
        Assert.NotNull(s!.Active);
        Assert.InRange(s.Draft.Precision, 0, 1);
        Assert.Contains($"{s.Draft.PerWeek:0.#} a week", draft.Note);
        Assert.Contains($"the active version: {s.Active.PerWeek:0.#} a week", draft.Note);
        // The what-if of the existing flow runs on it.
        Assert.NotNull(await new Tandem.Features.Agreement.WhatIfService().RunAsync(db, draft.Number, 6, ct));
    }
}
