using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Opportunities;
using Tandem.Features.People;

namespace Tandem.Features.Handoffs;

/// <summary>Why a rep's action was refused: a status, and the field at fault for bad input.</summary>
public sealed record ActionError(int Status, string Detail, string? Field = null)
{
    public static ActionError Invalid(string field, string detail) => new(StatusCodes.Status400BadRequest, detail, field);
    public static ActionError Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);
}

public sealed record AttemptInput(AttemptKind? Kind, DateTime? At, string? Note, int? Version);
public sealed record DecisionInput(string? Note, int? Version);
public sealed record RejectInput(string? Reason, string? Note, DateTime? ReengageAt, int? Version);
public sealed record ConvertInput(string? Name, long? AmountMinor, string? Currency, DateTime? ExpectedCloseAt, string? Note, int? Version);

/// <summary>
/// What a rep does with a handed-off lead: log an attempt, accept (SAL), convert (SQL, with a new opportunity) or reject with a
/// reason (Disqualified, or Nurture with a re-engage date when the reason recycles). The handoff's <c>Version</c> is the
/// concurrency token: of two decisions made at once, the second save finds the row changed and gets a 409.
/// </summary>
public static class HandoffActions
{
    public const int MaxNote = 2000;
    public static readonly TimeSpan DefaultReengage = TimeSpan.FromDays(90);

    public static async Task<ActionError?> LogAttemptAsync(TandemDb db, Handoff h, AttemptInput input, string actor, CancellationToken ct)
    {
        var now = db.UtcNow;
        var at = input.At is { } a ? Utc(a) : now;
        if (input.Kind is not { } kind) return ActionError.Invalid("kind", "'kind' is required: Call, Email, Meeting or Social.");
        if (at > now.AddMinutes(5)) return ActionError.Invalid("at", $"An attempt cannot be in the future ({at:u}).");
        if (at < h.AssignedAt) return ActionError.Invalid("at", $"An attempt cannot be before the lead was handed over ({h.AssignedAt:u}).");
        if (input.Note?.Length > MaxNote) return ActionError.Invalid("note", $"A note is at most {MaxNote} characters.");
        if (h.State is HandoffState.Rejected or HandoffState.Converted)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()}; attempts are logged on open or accepted leads.");
        if (Stale(h, input.Version) is { } stale) return stale;
        db.HandoffAttempts.Add(new HandoffAttempt { HandoffId = h.Id, Kind = kind, At = at, Note = Clean(input.Note), Actor = actor });
        HandoffLog.Add(db, h.PersonId, "handoff.attempt", actor, new { handoffId = h.Id, kind = kind.ToString(), at, note = Clean(input.Note) });
        h.AttemptCount++;
        if (h.FirstTouchAt is null || at < h.FirstTouchAt) h.FirstTouchAt = at;
        if (h.AttemptCount >= h.MinAttempts && h.AttemptsMetAt is null) h.AttemptsMetAt = at > now ? now : at;
        h.NextDeadline = SlaClock.Next(h);
        return await SaveAsync(db, h, ct);
    }

    public static async Task<ActionError?> AcceptAsync(TandemDb db, Handoff h, DecisionInput input, string actor, CancellationToken ct)
    {
        if (Undecided(h) is { } e) return e;
        if (Stale(h, input.Version) is { } stale) return stale;
        var person = await db.People.FirstAsync(p => p.Id == h.PersonId, ct);
        if (await MoveAsync(db, person, LifecycleStage.SAL, "sla:accept", actor, null, input.Note, null, ct) is { } moveError) return moveError;
        Decide(db, h, HandoffState.Accepted, actor);
        return await SaveAsync(db, h, ct);
    }

    public static async Task<ActionError?> RejectAsync(TandemDb db, Handoff h, RejectInput input, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Reason)) return ActionError.Invalid("reason", "'reason' is required: a rejection always says why (see GET /api/handoffs/reasons).");
        var reason = await db.RejectReasons.AsNoTracking().FirstOrDefaultAsync(r => r.Code == input.Reason.Trim() && r.IsActive, ct);
        if (reason is null)
        {
            var codes = await db.RejectReasons.AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Position).Select(r => r.Code).ToListAsync(ct);
            return ActionError.Invalid("reason", $"'{input.Reason}' is not a reason in the catalog. Use one of: {string.Join(", ", codes)}.");
        }
        if (input.Note?.Length > MaxNote) return ActionError.Invalid("note", $"A note is at most {MaxNote} characters.");
        var now = db.UtcNow;
        DateTime? reengage = null;
        if (reason.Recycles)
        {
            reengage = input.ReengageAt is { } r ? Utc(r) : now + DefaultReengage;
            if (reengage <= now) return ActionError.Invalid("reengageAt", "The re-engage date must be in the future.");
        }
        if (h.State != HandoffState.Open)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}; it cannot be rejected now.");
        if (Stale(h, input.Version) is { } stale) return stale;
        var person = await db.People.FirstAsync(p => p.Id == h.PersonId, ct);
        var to = reason.Recycles ? LifecycleStage.Nurture : LifecycleStage.Disqualified;
        if (await MoveAsync(db, person, to, "sla:reject", actor, reason.Label, input.Note, reengage, ct) is { } moveError) return moveError;
        Decide(db, h, HandoffState.Rejected, actor);
        (h.RejectReason, h.RejectNote) = (reason.Code, Clean(input.Note));
        return await SaveAsync(db, h, ct);
    }

    public static async Task<ActionError?> ConvertAsync(TandemDb db, Handoff h, ConvertInput input, string actor, CancellationToken ct)
    {
        if (h.State is HandoffState.Rejected or HandoffState.Converted)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}.");
        if (input.AmountMinor is < 0) return ActionError.Invalid("amountMinor", "The amount cannot be negative.");
        if (input.Currency is { } c && (c.Length != 3 || !c.All(char.IsAsciiLetterUpper))) return ActionError.Invalid("currency", $"'{c}' is not a currency code such as USD.");
        if (input.Name?.Length > 300) return ActionError.Invalid("name", "A name is at most 300 characters.");
        if (Stale(h, input.Version) is { } stale) return stale;
        var person = await db.People.FirstAsync(p => p.Id == h.PersonId, ct);
        var account = person.AccountId is { } aid ? await db.Accounts.AsNoTracking().Where(a => a.Id == aid).Select(a => a.Name).FirstOrDefaultAsync(ct) : null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (h.State == HandoffState.Open)
        {
            // A lead turned straight into an opportunity was accepted on the way: the funnel counts it at SAL too.
            if (await MoveAsync(db, person, LifecycleStage.SAL, "sla:accept", actor, null, null, null, ct) is { } e) return e;
        }
        var now = db.UtcNow;
        var opp = new Opportunity
        {
            Name = string.IsNullOrWhiteSpace(input.Name) ? $"{account ?? person.DisplayName} – New business" : input.Name.Trim(),
            AccountId = person.AccountId, PrimaryPersonId = person.Id, OwnerId = h.AssigneeId, AmountMinor = input.AmountMinor ?? 0,
            Currency = input.Currency ?? "USD", SalesStage = "Qualification", CreatedAt = now, ExpectedCloseAt = input.ExpectedCloseAt is { } x ? Utc(x) : null,
        };
        db.Opportunities.Add(opp);
        Decide(db, h, HandoffState.Converted, actor);
        if (await SaveAsync(db, h, ct) is { } conflict) return conflict;
        db.OpportunityStageChanges.Add(new OpportunityStageChange { OpportunityId = opp.Id, To = opp.SalesStage, Outcome = Outcome.Open, At = now, Actor = actor });
        h.OpportunityId = opp.Id;
        if (await MoveAsync(db, person, LifecycleStage.SQL, "opportunity", actor, null, input.Note, null, ct) is { } error) return error;
        if (await SaveAsync(db, h, ct) is { } again) return again;
        await tx.CommitAsync(ct);
        return null;
    }

    private static ActionError? Undecided(Handoff h) => h.State == HandoffState.Open ? null
        : ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}.");

    private static ActionError? Stale(Handoff h, int? version) => version is { } v && v != h.Version
        ? ActionError.Conflict($"Lead {h.Id} is no longer at version {v} (now {h.Version}): someone else changed it. Reload and try again.")
        : null;

    private static void Decide(TandemDb db, Handoff h, HandoffState to, string actor)
    {
        (h.State, h.DecidedAt, h.DecidedBy) = (to, h.DecidedAt ?? db.UtcNow, h.State == HandoffState.Open ? actor : h.DecidedBy);
        h.NextDeadline = SlaClock.Next(h);
    }

    private static async Task<ActionError?> MoveAsync(TandemDb db, Person p, LifecycleStage to, string cause, string actor, string? reason,
        string? note, DateTime? reengageAt, CancellationToken ct)
    {
        var (_, error) = await Stages.MoveAsync(db, p, to, cause, actor, reason, note, reengageAt, ct);
        return error is null ? null : ActionError.Conflict($"{p.DisplayName} cannot move to {to}: {error}");
    }

    /// <summary>Saves; a concurrent change of the same handoff (its version moved) is a 409, not an overwrite.</summary>
    private static async Task<ActionError?> SaveAsync(TandemDb db, Handoff h, CancellationToken ct) =>
        await db.TrySaveAsync(ct) ? null
            : ActionError.Conflict($"Lead {h.Id} was changed by someone else at the same time (accepted or rejected first). Reload it to see what happened.");

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
