using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;

namespace Tandem.Features.Nurture;

public enum TrackStatus { Draft, Active, Paused }

/// <summary>A nurture track: who enters (<see cref="TrackContent.Enrol"/>) and the steps they go through, as one JSON document.</summary>
public class NurtureTrack : IVersioned
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public TrackStatus Status { get; set; }
    /// <summary><see cref="TrackContent"/> as JSON.</summary>
    public required string Content { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public enum EnrolmentStatus { Active, Completed, Exited }

/// <summary>One person going through one track. <see cref="StepIndex"/> is the next step, due at <see cref="DueAt"/>.</summary>
public class NurtureEnrolment
{
    public long Id { get; set; }
    public int TrackId { get; set; }
    public int PersonId { get; set; }
    public int StepIndex { get; set; }
    public DateTime DueAt { get; set; }
    public EnrolmentStatus Status { get; set; }
    /// <summary>Why the person left: <see cref="ExitReasons"/>.</summary>
    public string? ExitReason { get; set; }
    public DateTime EnrolledAt { get; set; }
    public DateTime? EndedAt { get; set; }
}

public enum SendStatus { Queued, Claimed, Sending, Sent, Failed, Held, Skipped, Uncertain }

/// <summary>
/// One message step for one enrolment: the queue row and the record of what went out (decision 0072). Unique by enrolment and
/// step, so a person gets a step at most once. A hold-out person gets a <see cref="SendStatus.Held"/> row: no email, but
/// counted in the test as the control.
/// </summary>
public class NurtureSend
{
    public long Id { get; set; }
    public long EnrolmentId { get; set; }
    public int TrackId { get; set; }
    public required string StepKey { get; set; }
    public int PersonId { get; set; }
    public required string Variant { get; set; }
    public required string Email { get; set; }
    public required string Subject { get; set; }
    public required string Text { get; set; }
    public string? Html { get; set; }
    /// <summary>The message's link targets, newline-separated: a click may only go to one of them.</summary>
    public string? Links { get; set; }
    public SendStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime QueuedAt { get; set; }
    /// <summary>When the next attempt is due; while claimed, the end of the lease.</summary>
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? ClickedAt { get; set; }
    public DateTime? OpenedAt { get; set; }
    public string? LastError { get; set; }
}

public enum SuppressionReason { Unsubscribed, HardBounce, Complaint, Manual }

/// <summary>An address no track may mail, whatever its rules say. Keyed by the normalized address.</summary>
public class EmailSuppression
{
    public required string Email { get; set; }
    public SuppressionReason Reason { get; set; }
    public int? PersonId { get; set; }
    public DateTime At { get; set; }
    public string? Note { get; set; }
}

public enum ConsentState { Unknown, Granted, Withdrawn }

/// <summary>A person's consent to marketing email, from an import or the API. Enrolment respects it (decision 0073).</summary>
public class EmailConsent
{
    public int PersonId { get; set; }
    public ConsentState State { get; set; }
    public required string Source { get; set; }
    public DateTime At { get; set; }
}

/// <summary>The one row of nurture state shared by every instance: the link-signing key and the re-engage watermark.</summary>
public class NurtureState
{
    public int Id { get; set; }
    public required string LinkKey { get; set; }
    /// <summary>Recycled people whose re-engage date is at or before this were re-evaluated.</summary>
    public DateTime ReengagedThrough { get; set; }
}

public static class ExitReasons
{
    public const string BecameMql = "became MQL";
    public const string Unsubscribed = "unsubscribed";
    public const string Bounced = "bounced";
    public const string SalesTookBack = "sales took the person back";
    public const string NoLongerMatches = "no longer in a nurtured stage";
    public const string NotMailable = "cannot be mailed";
}

public class NurtureConfiguration : IEntityTypeConfiguration<NurtureTrack>, IEntityTypeConfiguration<NurtureEnrolment>,
    IEntityTypeConfiguration<NurtureSend>, IEntityTypeConfiguration<EmailSuppression>, IEntityTypeConfiguration<EmailConsent>,
    IEntityTypeConfiguration<NurtureState>
{
    public void Configure(EntityTypeBuilder<NurtureTrack> b)
    {
        b.ToTable("nurture_tracks");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Name).IsUnique();
    }

    public void Configure(EntityTypeBuilder<NurtureEnrolment> b)
    {
        b.ToTable("nurture_enrolments");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ExitReason).HasMaxLength(100);
        b.HasIndex(x => new { x.TrackId, x.PersonId }).IsUnique();
        b.HasIndex(x => new { x.Status, x.DueAt });
        b.HasIndex(x => x.PersonId);
        b.HasOne<NurtureTrack>().WithMany().HasForeignKey(x => x.TrackId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<People.Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<NurtureSend> b)
    {
        b.ToTable("nurture_sends");
        b.Property(x => x.StepKey).HasMaxLength(40);
        b.Property(x => x.Variant).HasMaxLength(40);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Subject).HasMaxLength(500);
        b.Property(x => x.Links).HasMaxLength(20000);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.EnrolmentId, x.StepKey }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.TrackId, x.StepKey, x.Variant });
        b.HasIndex(x => new { x.Status, x.SentAt });
        b.HasIndex(x => x.PersonId);
        b.HasOne<NurtureEnrolment>().WithMany().HasForeignKey(x => x.EnrolmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<EmailSuppression> b)
    {
        b.ToTable("email_suppressions");
        b.HasKey(x => x.Email);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Reason).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Note).HasMaxLength(500);
    }

    public void Configure(EntityTypeBuilder<EmailConsent> b)
    {
        b.ToTable("email_consents");
        b.HasKey(x => x.PersonId);
        b.Property(x => x.PersonId).ValueGeneratedNever();
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Source).HasMaxLength(100);
        b.HasOne<People.Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<NurtureState> b)
    {
        b.ToTable("nurture_state");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.LinkKey).HasMaxLength(100);
    }
}
