using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Learning;

/// <summary>Which figure of the model report a drill-down opens: a decile (1 = best scores), a calibration bin (0 = 0–10 %), or the
/// top K of precision at K; <see cref="Positive"/> keeps only the people who reached the outcome (the figure's positives).</summary>
public sealed record DrillCell(string Set, int N, bool Positive)
{
    public const string Decile = "decile", Bin = "bin", Top = "top";

    /// <summary>The cell named by a query string's set, n and outcome; or the problem in words.</summary>
    public static (DrillCell? Cell, string? Problem) Parse(string? set, int? n, string? outcome)
    {
        if (outcome is not (null or "" or "any" or "positive")) return (null, $"outcome '{outcome}' is not 'positive' or 'any'.");
        var positive = outcome == "positive";
        return set switch
        {
            Decile when n is >= 1 and <= 10 => (new DrillCell(Decile, n.Value, positive), null),
            Decile => (null, "A decile is a number from 1 (the best scores) to 10."),
            Bin when n is >= 0 and <= 9 => (new DrillCell(Bin, n.Value, positive), null),
            Bin => (null, "A calibration bin is a number from 0 (predicted 0–10 %) to 9 (90–100 %)."),
            Top => (new DrillCell(Top, 0, positive), null),
            _ => (null, $"set '{set}' is not one of decile, bin or top."),
        };
    }

    public string Query => $"set={Set}{(Set == Top ? "" : $"&n={N}")}{(Positive ? "&outcome=positive" : "")}";

    /// <summary>The figure in words, for the page's heading.</summary>
    public string Describe(int k) => (Set switch
    {
        Decile => $"decile {N} of the test set ({(N == 1 ? "the best scores" : N == 10 ? "the lowest scores" : "by score, best first")})",
        Bin => $"test people the model gave {N * 10}–{N * 10 + 10} %",
        _ => $"the {k:N0} best-scored test people (precision at K)",
    }) + (Positive ? ", who reached the outcome" : "");
}

/// <summary>One person behind a figure: their probability on the test set and what happened.</summary>
public sealed record DrillPerson(int PersonId, string Name, string? Detail, double Probability, bool Outcome, DateTime Decision);

/// <summary>The people behind a figure, a page of them, in score order.</summary>
public sealed record ModelDrillPage(int Model, string Cell, string Description, int Total, int Page, int PageSize, IReadOnlyList<DrillPerson> Items);

/// <summary>
/// The people behind a number of the model report. The report stores figures, not people, so like an Insight drill-down this
/// re-runs the figure's membership test: the examples as they stood when the model was trained (features at each decision
/// time, labels final at the training moment), the same time split, the stored model's probabilities, and the same ranking
/// as the figure (<see cref="ModelMetrics.BestFirst"/>). Records changed since training can move a person.
/// </summary>
public static class ModelDrill
{
    public const int PageSize = 50;

    /// <summary>The test set of <paramref name="model"/> with its probabilities; null when it can no longer be split.</summary>
    public static async Task<(int[] Person, double[] P, bool[] Label, int[] Decision)?> TestSetAsync(TandemDb db, InsightFacts f, LearnedModel model,
        CancellationToken ct)
    {
        var ex = await FeatureExtractor.ExtractAsync(f, db, model.Target, model.TrainedAt, ct);
        var (split, _) = Splitter.Split(ex, model.Target);
        if (split is null) return null;
        var scorer = Models.Scorer(model);
        var p = scorer.ScoreRows(scorer.Spec.Encoder(ex), split.Test);
        return ([.. split.Test.Select(r => ex.Person[r])], p, [.. split.Test.Select(r => ex.Label[r])], [.. split.Test.Select(r => ex.Decision[r])]);
    }

    /// <summary>Positions in the test set behind <paramref name="cell"/>, best score first (pure).</summary>
    public static int[] Members(double[] p, bool[] label, DrillCell cell, int k)
    {
        var rows = cell.Set switch
        {
            DrillCell.Decile => ModelMetrics.DecileMembers(p, cell.N),
            DrillCell.Bin => ModelMetrics.BinMembers(p, cell.N),
            _ => ModelMetrics.TopMembers(p, k),
        };
        return cell.Positive ? [.. rows.Where(i => label[i])] : rows;
    }

    public static async Task<ModelDrillPage?> PageAsync(TandemDb db, InsightFacts f, LearnedModel model, DrillCell cell, int page, CancellationToken ct)
    {
        if (await TestSetAsync(db, f, model, ct) is not { } t) return null;
        var k = model.Parsed().K;
        var rows = Members(t.P, t.Label, cell, k);
        page = Math.Max(1, page);
        var shown = rows.Skip((page - 1) * PageSize).Take(PageSize).ToArray();
        // Names and details as every drill-down shows them (one lookup for the page).
        var described = (await InsightApi.DescribeAsync(db, f, [.. shown.Select(i => new Member(Subject.Person, t.Person[i]))], ct))
            .ToDictionary(d => d.Id);
        var items = shown.Select(i =>
        {
            var id = f.PersonId[t.Person[i]];
            var d = described.GetValueOrDefault(id);
            return new DrillPerson(id, d?.Name ?? $"Person {id}", d?.Detail, Math.Round(t.P[i], 4), t.Label[i], Clock.ToDate(t.Decision[i]));
        }).ToList();
        return new ModelDrillPage(model.Number, cell.Query, cell.Describe(k), rows.Length, page, PageSize, items);
    }
}
