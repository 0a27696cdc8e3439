using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Learning;

/// <summary>Training and Refused are scheduled retrains (decision 0075): the row is the claim that keeps a week's retrain to one
/// instance, holding no model until training ends, and the refusal in <see cref="LearnedModel.Report"/> when it could not learn.</summary>
public enum ModelStatus { Candidate, Active, Retired, Training, Refused }

/// <summary>
/// One trained scoring model, version after version: ML.NET's bytes, the window it learned from, how its inputs are encoded
/// and its report. A new model is a candidate; it scores people only once a person promotes it (decision 0068).
/// </summary>
public class LearnedModel : IVersioned
{
    public int Id { get; set; }
    /// <summary>Model #1, #2, …: what people and the CLI call it.</summary>
    public int Number { get; set; }
    public ModelStatus Status { get; set; }
    public LearnLabel Label { get; set; }
    public LearnStart Start { get; set; }
    public int HorizonDays { get; set; }
    public required string Trainer { get; set; }
    public double TestAuc { get; set; }
    public DateTime WindowFrom { get; set; }
    public DateTime WindowTo { get; set; }
    public DateTime TrainedAt { get; set; }
    public required string TrainedBy { get; set; }
    public DateTime? PromotedAt { get; set; }
    public string? PromotedBy { get; set; }
    /// <summary>The <see cref="FeatureSpec"/> as JSON.</summary>
    public required string Features { get; set; }
    /// <summary>The <see cref="LearnReport"/> as JSON (the drift of the latest scoring pass included).</summary>
    public required string Report { get; set; }
    public required byte[] Model { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public LearnTarget Target => new(Label, HorizonDays, Start);
    /// <summary>A trained model (candidate, active or retired), as opposed to a scheduled retrain still running or refused.</summary>
    public bool IsTrained => Status is ModelStatus.Candidate or ModelStatus.Active or ModelStatus.Retired;
    public FeatureSpec Spec() => JsonSerializer.Deserialize<FeatureSpec>(Features, Json)!;
    public LearnReport Parsed() => JsonSerializer.Deserialize<LearnReport>(Report, Json)!;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}

public class LearnedModelConfiguration : IEntityTypeConfiguration<LearnedModel>
{
    public void Configure(EntityTypeBuilder<LearnedModel> b)
    {
        b.ToTable("learned_models");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Label).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Start).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Trainer).HasMaxLength(50);
        b.Property(x => x.TrainedBy).HasMaxLength(200);
        b.Property(x => x.PromotedBy).HasMaxLength(200);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Number).IsUnique();
        b.HasIndex(x => x.Status);
    }
}
