using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>The life of a plan version: draft, edit, review, approve, supersede. Used by the API, the CLI and the demo.</summary>
public static class Plans
{
    public static Task<RevenuePlan?> FindAsync(TandemDb db, int number, CancellationToken ct) =>
        db.RevenuePlans.FirstOrDefaultAsync(p => p.Number == number, ct);

    /// <summary>The approved plan for the period and currency, if any.</summary>
    public static Task<RevenuePlan?> ApprovedAsync(TandemDb db, string period, string currency, CancellationToken ct) =>
        db.RevenuePlans.AsNoTracking().FirstOrDefaultAsync(p => p.Status == PlanStatus.Approved && p.Period == period && p.Currency == currency, ct);

    /// <summary>Measures history and builds the content (errors are (field, message)).</summary>
    public static (PlanContent? Content, List<(string Field, string Message)> Errors) Compute(InsightFacts facts, PlanInputs inputs, DateTime now,
        NodaTime.DateTimeZone zone)
    {
        var today = Periods.Today(now, zone);
        var early = PlanBuilder.CheckInputs(inputs, today);
        if (early.Count > 0) return (null, early);
        var history = FunnelRates.Measure(facts, inputs.Currency.ToUpperInvariant(), now, inputs.WindowDays, inputs.Split);
        return PlanBuilder.Build(inputs, history, today);
    }

    /// <summary>An approved plan whose period overlaps this one in the same currency, other than the one being revised; null if
    /// none. A same-period plan is a revision only when drafted from the approved one.</summary>
    public static async Task<RevenuePlan?> ConflictAsync(TandemDb db, Period period, string currency, int? basedOnId, CancellationToken ct)
    {
        var approved = await db.RevenuePlans.AsNoTracking().Where(p => p.Status == PlanStatus.Approved && p.Currency == currency).ToListAsync(ct);
        return approved.FirstOrDefault(p => Period.Parse(p.Period) is { } other && other.Start < period.End && period.Start < other.End
            && !(p.Period == period.Label && p.Id == basedOnId));
    }

    public static async Task<RevenuePlan> CreateDraftAsync(TandemDb db, PlanContent content, string? note, RevenuePlan? basedOn, CancellationToken ct)
    {
        var next = (await db.RevenuePlans.MaxAsync(p => (int?)p.Number, ct) ?? 0) + 1;
        var p = new RevenuePlan
        {
            Number = next, Status = PlanStatus.Draft, Period = content.Inputs.Period, Currency = content.Inputs.Currency,
            TargetMinor = content.Inputs.TargetMinor, Note = Clean(note), Content = content.ToJson(), ContentHash = content.Hash(),
            BasedOnId = basedOn?.Id, CreatedBy = db.Actor, CreatedAt = db.UtcNow,
        };
        db.RevenuePlans.Add(p);
        await db.SaveChangesAsync(ct);
        return p;
    }

    /// <summary>Replaces a draft's content; earlier approvals were of the old hash and no longer count.</summary>
    public static void Edit(RevenuePlan p, PlanContent content, string? note)
    {
        if (p.Status != PlanStatus.Draft) throw new InvalidOperationException($"{p.Name} is not a draft.");
        (p.Content, p.ContentHash, p.Note) = (content.ToJson(), content.Hash(), Clean(note) ?? p.Note);
        (p.Period, p.Currency, p.TargetMinor) = (content.Inputs.Period, content.Inputs.Currency, content.Inputs.TargetMinor);
    }

    /// <summary>
    /// Records a review (already checked with <see cref="Approvals.Check{TReview}"/>); approves the draft when both sides
    /// approved, superseding the approved plan of the same period and currency. Serialized per plan as definition reviews are
    /// (row lock, then read), so two approvals at the same moment approve it exactly once.
    /// </summary>
    public static async Task<bool> ReviewAsync(TandemDb db, RevenuePlan p, int userId, Role? role, ReviewDecision decision, string? comment,
        CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        if (!db.IsSqlite)
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM revenue_plans WHERE \"Id\" = {p.Id} FOR UPDATE", ct);
        await db.Entry(p).ReloadAsync(ct);
        if (p.Status != PlanStatus.Draft) throw new ReviewRaceException(p.Name, p.Status.ToString().ToLowerInvariant());
        db.PlanReviews.Add(new PlanReview
        {
            PlanId = p.Id, UserId = userId, Side = Approvals.SideOf(role) ?? ReviewSide.Marketing, Decision = decision, ContentHash = p.ContentHash,
            Comment = Clean(comment), At = db.UtcNow,
        });
        var reviews = await db.PlanReviews.AsNoTracking().Where(r => r.PlanId == p.Id).ToListAsync(ct);
        reviews.AddRange(db.PlanReviews.Local.Where(r => r.PlanId == p.Id && r.Id == 0));
        var approve = decision == ReviewDecision.Approve && Approvals.State(p.ContentHash, reviews).Complete;
        if (approve)
        {
            var now = db.UtcNow;
            var period = Period.Parse(p.Period)!;
            if (await ConflictAsync(db, period, p.Currency, p.BasedOnId, ct) is { } other)
                throw new PlanConflictException(other, p);
            foreach (var old in await db.RevenuePlans.Where(x => x.Status == PlanStatus.Approved && x.Period == p.Period && x.Currency == p.Currency).ToListAsync(ct))
                (old.Status, old.SupersededAt) = (PlanStatus.Superseded, now);
            await db.SaveChangesAsync(ct); // supersede first: the unique index allows one approved plan per period at any moment
            (p.Status, p.ApprovedAt) = (PlanStatus.Approved, now);
        }
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return approve;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>An approved plan covers part of the same period in the same currency.</summary>
public sealed class PlanConflictException(RevenuePlan approved, RevenuePlan draft) : Exception(Describe(approved, draft))
{
    public static string Describe(RevenuePlan approved, RevenuePlan? draft) =>
        $"{approved.Name} is approved and covers {(draft is null ? "this period" : draft.Period == approved.Period ? "the same period" : "part of " + draft.Period)}. "
        + (draft is null || draft.Period == approved.Period
            ? $"To revise it, draft from it (basedOn {approved.Number}); its approval then replaces #{approved.Number}."
            : "Plan one period at a time: revise the approved plan instead.");
}
