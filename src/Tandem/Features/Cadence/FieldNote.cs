using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Cadence;

[JsonConverter(typeof(JsonStringEnumConverter))]
public enum NoteKind { Question, Objection, Competitor, FeatureGap, RideAlong, Review }

[JsonConverter(typeof(JsonStringEnumConverter))]
public enum ReviewOutcome { Won, Lost, NoDecision }

/// <summary>
/// The voice of the customer: something a rep or marketer heard, linked to a person, an account or an opportunity.
/// A <see cref="NoteKind.Review"/> (win/loss/no-decision) also carries its outcome, reasons from the shared reason
/// catalog, the decision criteria and the competitor. Free text is stored as written and shown as text everywhere.
/// </summary>
public class FieldNote
{
    public int Id { get; set; }
    public NoteKind Kind { get; set; }
    public required string Text { get; set; }
    public int? PersonId { get; set; }
    public int? AccountId { get; set; }
    public int? OpportunityId { get; set; }
    public int? AuthorId { get; set; }
    public required string AuthorName { get; set; }
    /// <summary>When it was heard (defaults to when it was written).</summary>
    public DateTime At { get; set; }
    public DateTime CreatedAt { get; set; }
    public ReviewOutcome? Outcome { get; set; }
    /// <summary>Reason codes from the reason catalog, comma-separated.</summary>
    public string? Reasons { get; set; }
    public string? Criteria { get; set; }
    public string? Competitor { get; set; }

    public static string Label(NoteKind k) => k switch
    {
        NoteKind.Question => "Question heard", NoteKind.Objection => "Objection", NoteKind.Competitor => "Competitor mention",
        NoteKind.FeatureGap => "Feature gap", NoteKind.RideAlong => "Ride-along report", _ => "Win/loss/no-decision review",
    };
}

public enum ActionStatus { Open, Done, Dropped }

/// <summary>Something someone agreed to do in a sync meeting. Open items carry into every later week's record until done.</summary>
public class ActionItem : IVersioned
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public int? OwnerId { get; set; }
    public DateOnly? DueOn { get; set; }
    public ActionStatus Status { get; set; }
    /// <summary>The ISO week whose sync raised it ("2026-W48").</summary>
    public required string RaisedWeek { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? DoneAt { get; set; }
    /// <summary>When the owner was last reminded that it is overdue.</summary>
    public DateTime? RemindedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public class CadenceNotesConfiguration : IEntityTypeConfiguration<FieldNote>, IEntityTypeConfiguration<ActionItem>
{
    public void Configure(EntityTypeBuilder<FieldNote> b)
    {
        b.ToTable("field_notes");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Text).HasMaxLength(4000);
        b.Property(x => x.AuthorName).HasMaxLength(200);
        b.Property(x => x.Reasons).HasMaxLength(500);
        b.Property(x => x.Criteria).HasMaxLength(1000);
        b.Property(x => x.Competitor).HasMaxLength(200);
        b.HasIndex(x => x.At);
        b.HasIndex(x => x.PersonId);
        b.HasIndex(x => x.OpportunityId);
    }

    public void Configure(EntityTypeBuilder<ActionItem> b)
    {
        b.ToTable("action_items");
        b.Property(x => x.Title).HasMaxLength(300);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.RaisedWeek).HasMaxLength(8);
        b.Property(x => x.CreatedBy).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.Status, x.DueOn });
    }
}
