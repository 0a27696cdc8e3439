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
public sealed record ReassignInput(int? AssigneeId, string? Note, int? Version);
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
        return await Lifecycle.Transitions.AcceptAsync(db, h, input.Note, actor, ct) ?? await SaveAsync(db, h, ct);
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
        if (Undecided(h) is { } e) return e;
        if (Stale(h, input.Version) is { } stale) return stale;
        return await Lifecycle.Transitions.RejectAsync(db, h, reason, input.Note, reengage, actor, ct) ?? await SaveAsync(db, h, ct);
    }

    /// <param name="currency">The deal's currency when the input names none: the company's (<see cref="CompanyOptions"/>).</param>
    public static async Task<ActionError?> ConvertAsync(TandemDb db, Handoff h, ConvertInput input, string currency, string actor, CancellationToken ct)
    {
        if (h.State is HandoffState.Rejected or HandoffState.Converted)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}.");
        if (input.AmountMinor is < 0) return ActionError.Invalid("amountMinor", "The amount cannot be negative.");
        if (input.Currency is { } c && (c.Length != 3 || !c.All(char.IsAsciiLetterUpper))) return ActionError.Invalid("currency", $"'{c}' is not a currency code such as USD.");
        if (input.Name?.Length > 300) return ActionError.Invalid("name", "A name is at most 300 characters.");
        if (Stale(h, input.Version) is { } stale) return stale;
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == h.PersonId, ct);
        var account = person.AccountId is { } aid ? await db.Accounts.AsNoTracking().Where(a => a.Id == aid).Select(a => a.Name).FirstOrDefaultAsync(ct) : null;
        var opp = new Opportunity
        {
            Name = string.IsNullOrWhiteSpace(input.Name) ? $"{account ?? person.DisplayName} – New business" : input.Name.Trim(),
            AccountId = person.AccountId, PrimaryPersonId = person.Id, OwnerId = h.AssigneeId, AmountMinor = input.AmountMinor ?? 0,
            Currency = input.Currency ?? currency, SalesStage = "Qualification", CreatedAt = db.UtcNow, ExpectedCloseAt = input.ExpectedCloseAt is { } x ? Utc(x) : null,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            if (await Lifecycle.Transitions.ConvertAsync(db, h, opp, input.Note, actor, ct) is { } refused) return refused;
            if (await SaveAsync(db, h, ct) is { } conflict) return conflict;
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActionError.Conflict($"Lead {h.Id} was changed by someone else at the same time (accepted or rejected first). Reload it to see what happened.");
        }
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>
    /// A manager hands an open lead to another rep of their team. The person's owner follows the lead, and the clock restarts
    /// for the new rep for every promise not yet kept (decision 0081); the activity log keeps who moved it, from whom and why.
    /// </summary>
    public static async Task<ActionError?> ReassignAsync(TandemDb db, Handoff h, ReassignInput input, TeamScope scope, string actor, CancellationToken ct)
    {
        if (!scope.Covers(h)) return new ActionError(StatusCodes.Status403Forbidden, $"Lead {h.Id} is not in a team you manage.");
        if (input.AssigneeId is not { } to) return ActionError.Invalid("assigneeId", "Choose the rep to hand the lead to.");
        if (input.Note?.Length > MaxNote) return ActionError.Invalid("note", $"A note is at most {MaxNote} characters.");
        var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == to, ct);
        if (target is null || !scope.Has(to))
            return ActionError.Invalid("assigneeId", target is null ? $"There is no user {to}."
                : $"{target.Name} is not an active rep of a team you manage; a lead moves only within the team.");
        if (h.State != HandoffState.Open)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()}; only open leads are reassigned.");
        if (h.AssigneeId == to) return ActionError.Invalid("assigneeId", $"The lead is already {target.Name}'s.");
        if (Stale(h, input.Version) is { } stale) return stale;

        var now = db.UtcNow;
        var terms = await Lifecycle.HandoffTerms.ForAsync(db, h.DefinitionId, ct);
        var calendar = HandoffAssigner.Standard;
        try { calendar = Calendars.WorkCalendars.For(target, await Calendars.WorkCalendars.HolidaysAsync(db, ct)); }
        catch (ArgumentException) { /* an invalid calendar must not block the move: the standard one, as routing does */ }
        var from = h.AssigneeId;
        var before = (h.FirstTouchDue, h.AttemptsDue, h.DecideDue);
        try { SlaClock.Restart(h, terms, calendar, now); }
        catch (InvalidOperationException) { SlaClock.Restart(h, terms, HandoffAssigner.Standard, now); }
        h.AssigneeId = to;
        if (target.TeamId is { } team) h.TeamId = team;
        h.Rule = "reassigned";
        var fromName = from is { } f ? await db.Users.AsNoTracking().Where(u => u.Id == f).Select(u => u.Name).FirstOrDefaultAsync(ct) : null;
        h.RuleNote = Trim($"Reassigned from {fromName ?? "nobody"} to {target.Name}{(Clean(input.Note) is { } n ? $": {n}" : "")}", 400);
        var person = await db.People.FirstAsync(p => p.Id == h.PersonId, ct);
        person.OwnerId = to;
        HandoffLog.Add(db, h.PersonId, "handoff.reassigned", actor, new
        {
            handoffId = h.Id, fromId = from, from = fromName, toId = to, to = target.Name, note = Clean(input.Note),
            clock = "restarted", before = new { firstTouchDue = before.FirstTouchDue, attemptsDue = before.AttemptsDue, decideDue = before.DecideDue },
            after = new { firstTouchDue = h.FirstTouchDue, attemptsDue = h.AttemptsDue, decideDue = h.DecideDue },
        });
        return await SaveAsync(db, h, ct);
    }

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static ActionError? Undecided(Handoff h) => h.State == HandoffState.Open ? null
        : ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}.");

    public static ActionError? Stale(Handoff h, int? version) => version is { } v && v != h.Version
        ? ActionError.Conflict($"Lead {h.Id} is no longer at version {v} (now {h.Version}): someone else changed it. Reload and try again.")
        : null;

    /// <summary>Saves; a concurrent change of the same handoff (its version moved) is a 409, not an overwrite.</summary>
    private static async Task<ActionError?> SaveAsync(TandemDb db, Handoff h, CancellationToken ct) =>
        await db.TrySaveAsync(ct) ? null
            : ActionError.Conflict($"Lead {h.Id} was changed by someone else at the same time (accepted or rejected first). Reload it to see what happened.");

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
