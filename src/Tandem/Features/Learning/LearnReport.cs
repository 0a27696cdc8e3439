namespace Tandem.Features.Learning;

/// <summary>A trainer's result: its AUC on the validation set (which chose the model) and on the test set.</summary>
public sealed record TrainerResult(string Trainer, double ValidationAuc, double TestAuc);

/// <summary>How much the test AUC falls when one feature's values are shuffled among people (permutation importance).</summary>
public sealed record Importance(string Feature, string Group, double AucDrop);

/// <summary>A feature flagged as a probable leak: why, its own AUC, and whether a person confirmed it (then it stays in).</summary>
public sealed record Leak(string Feature, string Reason, double SingleAuc, bool Confirmed);

/// <summary>The population stability index of one feature between the training window and the latest scoring pass.</summary>
public sealed record Drift(string Feature, double Psi);

public sealed record SetSize(int People, int Positives, DateTime From, DateTime To);

/// <summary>Everything the model report shows, measured on the held-out test set; stored with the model as JSON.</summary>
public sealed class LearnReport
{
    public required LearnTarget Target { get; init; }
    public required SetSize Train { get; init; }
    public required SetSize Validation { get; init; }
    public required SetSize Test { get; init; }
    public required List<TrainerResult> Trainers { get; init; }
    public required string Chosen { get; init; }
    public double Auc { get; init; }
    public double PrAuc { get; init; }
    public double LogLoss { get; init; }
    public double Brier { get; init; }
    public double BaseRate { get; init; }
    public required IReadOnlyList<Decile> Deciles { get; init; }
    public required IReadOnlyList<CalibrationBin> Calibration { get; init; }
    /// <summary>K: sales capacity per week (the routing seats' open-lead limits), or a tenth of the test set without seats.</summary>
    public int K { get; init; }
    public string KSource { get; init; } = "";
    public double PrecisionAtK { get; init; }
    /// <summary>The active lead definition's score on the same test people; null when there is no active definition.</summary>
    public double? RuleAuc { get; set; }
    public required List<Importance> Importance { get; init; }
    public required List<DroppedFeature> Dropped { get; init; }
    public required List<Leak> Leaks { get; init; }
    public List<Drift> Drift { get; set; } = [];
    public DateTime? DriftAt { get; set; }
}
