using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Features.Cadence;

public enum ScorecardStatus { Draft, Active, Superseded }

/// <summary>
/// One version of the KPI set. Changing the set makes a draft; it becomes active only once a marketing user and a sales
/// manager, two people, approved its exact content (the lead definition's rule, <see cref="Approvals"/>). The active one
/// is what each weekly record grades; the record copies the definitions it used, so an old record reads the same forever.
/// </summary>
public class ScorecardVersion : IVersioned
{
    public int Id { get; set; }
    public int Number { get; set; }
    public ScorecardStatus Status { get; set; }
    /// <summary>The KPI definitions as JSON (<see cref="Scorecards.Parse"/>).</summary>
    public required string Content { get; set; }
    public required string ContentHash { get; set; }
    public string? Note { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public class ScorecardReview : IReview
{
    public int Id { get; set; }
    public int ScorecardId { get; set; }
    public int UserId { get; set; }
    public ReviewSide Side { get; set; }
    public ReviewDecision Decision { get; set; }
    public required string ContentHash { get; set; }
    public DateTime At { get; set; }
}

public static class Scorecards
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<KpiDefinition> Parse(string content) => JsonSerializer.Deserialize<List<KpiDefinition>>(content, Json) ?? [];

    public static string Serialize(IReadOnlyList<KpiDefinition> kpis) => JsonSerializer.Serialize(kpis, Json);

    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>The seeds' scorecard (issue 15): the funnel counts against plan, acceptance, win rate, sourced pipeline, the
    /// SLA and cost per opportunity. Fixed targets are starting points each company changes through a draft.</summary>
    public static IReadOnlyList<KpiDefinition> Seeds() =>
    [
        new("mqls", "MQLs against plan", "mqls", KpiOwner.Marketing, KpiKind.Managed, KpiTiming.Leading, TargetFromPlan: true),
        new("sals", "SALs against plan", "sals", KpiOwner.Shared, KpiKind.Managed, KpiTiming.Leading, TargetFromPlan: true),
        new("sqls", "SQLs against plan", "sqls", KpiOwner.Sales, KpiKind.Managed, KpiTiming.Leading, TargetFromPlan: true),
        new("mql-acceptance", "MQLs accepted by sales", "mql-acceptance", KpiOwner.Shared, KpiKind.Managed, KpiTiming.Leading, Target: 70),
        new("win-rate", "Win rate", "win-rate", KpiOwner.Sales, KpiKind.Monitored, KpiTiming.Lagging, Target: 25, AmberAt: 0.8),
        new("sourced-pipeline", "Marketing-sourced pipeline", "sourced-pipeline", KpiOwner.Marketing, KpiKind.Managed, KpiTiming.Leading, Target: 100_000),
        new("sla-compliance", "SLA compliance", "sla-compliance", KpiOwner.Sales, KpiKind.Managed, KpiTiming.Leading, Target: 90, AmberAt: 0.95),
        new("cost-per-opportunity", "Cost per opportunity", "cost-per-opportunity", KpiOwner.Marketing, KpiKind.Monitored, KpiTiming.Lagging, Target: 2_000, AmberAt: 0.8),
    ];

    /// <summary>The active KPI set, or the seeds' set when none was ever approved (a new install still gets a scorecard).</summary>
    public static async Task<(int? Number, IReadOnlyList<KpiDefinition> Kpis)> ActiveAsync(TandemDb db, CancellationToken ct)
    {
        var active = await db.Scorecards.AsNoTracking().Where(s => s.Status == ScorecardStatus.Active).OrderByDescending(s => s.Number)
            .FirstOrDefaultAsync(ct);
        return active is null ? (null, Seeds()) : (active.Number, Parse(active.Content));
    }

    /// <summary>A new draft holding <paramref name="kpis"/>, numbered after the last version.</summary>
    public static async Task<ScorecardVersion> DraftAsync(TandemDb db, IReadOnlyList<KpiDefinition> kpis, string? note, CancellationToken ct)
    {
        var content = Serialize(kpis);
        var number = (await db.Scorecards.MaxAsync(s => (int?)s.Number, ct) ?? 0) + 1;
        var draft = new ScorecardVersion
        {
            Number = number, Status = ScorecardStatus.Draft, Content = content, ContentHash = Hash(content), Note = note,
            CreatedBy = db.Actor, CreatedAt = db.UtcNow,
        };
        db.Scorecards.Add(draft);
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>Records one approval; activates the draft (superseding the active one) once both sides approved. Null when
    /// recorded, else the status code and why not.</summary>
    public static async Task<(int Status, string Message)?> ApproveAsync(TandemDb db, ScorecardVersion draft, string? hash, int? userId,
        Role? role, CancellationToken ct)
    {
        var reviews = await db.ScorecardReviews.Where(r => r.ScorecardId == draft.Id).ToListAsync(ct);
        if (Approvals.Check(draft.Status == ScorecardStatus.Draft, $"scorecard v{draft.Number}", draft.Status.ToString().ToLowerInvariant(),
                "the scorecard", draft.ContentHash, hash, userId, role, ReviewDecision.Approve, reviews) is { } refused)
            return refused;
        var review = new ScorecardReview
        {
            ScorecardId = draft.Id, UserId = userId!.Value, Side = Approvals.SideOf(role)!.Value, Decision = ReviewDecision.Approve,
            ContentHash = draft.ContentHash, At = db.UtcNow,
        };
        db.ScorecardReviews.Add(review);
        reviews.Add(review);
        if (Approvals.State(draft.ContentHash, reviews).Complete)
        {
            foreach (var old in await db.Scorecards.Where(s => s.Status == ScorecardStatus.Active).ToListAsync(ct)) old.Status = ScorecardStatus.Superseded;
            draft.Status = ScorecardStatus.Active;
            draft.ActivatedAt = db.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        return null;
    }
}

public class ScorecardConfiguration : IEntityTypeConfiguration<ScorecardVersion>, IEntityTypeConfiguration<ScorecardReview>
{
    public void Configure(EntityTypeBuilder<ScorecardVersion> b)
    {
        b.ToTable("scorecards");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.CreatedBy).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Number).IsUnique();
    }

    public void Configure(EntityTypeBuilder<ScorecardReview> b)
    {
        b.ToTable("scorecard_reviews");
        b.Property(x => x.Side).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Decision).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.HasIndex(x => x.ScorecardId);
    }
}
