using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;
using Tandem.Features.Opportunities;
using Tandem.Features.People;

namespace Tandem.Features.Lifecycle;

/// <summary>A refused or done stage move. <see cref="Field"/> names the input at fault for a 400.</summary>
public sealed record Moved(StageChange? Change, ActionError? Error)
{
    public static Moved Done(StageChange c) => new(c, null);
    public static Moved Refused(ActionError e) => new(null, e);
}

/// <summary>
/// The one writer of stage changes, the person's cached stage and the handoff's state (decision 0040). Every move is a
/// <see cref="Transition"/>: the rules are checked (<see cref="StageRules"/>), the cause is derived here, and whatever
/// else the move implies happens in the same transaction: reaching MQL routes the lead and starts its SLA clock, an
/// opportunity closes the lead's handoff as converted. Callers add nothing to <c>stage_changes</c> themselves.
/// </summary>
public static class Transitions
{
    /// <summary>A new person's first stage. The person may be unsaved; EF fills in the id.</summary>
    public static StageChange Enter(TandemDb db, Person p, LifecycleStage stage, DateTime at, EntrySource source, string actor, string? reason = null)
    {
        var change = StageHistory.Append(p, stage, at, Causes.Of(source), actor, reason, first: true);
        change.Person = p;
        db.StageChanges.Add(change);
        return change;
    }

    /// <summary>
    /// A new person's first stage for the bulk import path (decision 0096): the person is not tracked and has no id yet; the
    /// row is written by <see cref="StageWriter.EnterNewAsync"/> once the person is inserted.
    /// </summary>
    public static StageChange EnterNew(Person p, LifecycleStage stage, DateTime at, EntrySource source, string actor, string? reason = null) =>
        StageHistory.Append(p, stage, at, Causes.Of(source), actor, reason, first: true);

    /// <summary>
    /// A move by hand (API or page). Refused with 409 while sales holds the lead in an open handoff (sales acts on it
    /// there), with 400 on <c>to</c> when the rules forbid it. Reaching MQL routes the lead.
    /// </summary>
    public static async Task<Moved> ManualAsync(TandemDb db, Person p, LifecycleStage to, string? reason, string? note, DateTime? reengageAt,
        string actor, CancellationToken ct)
    {
        if (await OpenHandoffSentenceAsync(db, p, ct) is { } held) return Moved.Refused(ActionError.Conflict(held));
        if (StageRules.Check(p.Stage, to, await FactsAsync(db, p, reason, ct)) is { } error) return Moved.Refused(ActionError.Invalid("to", error));
        var change = Record(db, p, to, db.UtcNow, Causes.Manual, actor, reason, note, reengageAt);
        if (to == LifecycleStage.MQL) await RouteAsync(db, [new NewMql(p, change.At, change.Note)], null, ct);
        if (to is LifecycleStage.SQL or LifecycleStage.Customer) await CloseHandoffsAsync(db, p, change.At, actor, null, ct);
        return Moved.Done(change);
    }

    /// <summary>A stage given by an import row for an existing person: the same rules and the same refusal while a handoff is open.
    /// Null when done, else the sentence for the row's error. Routing of an imported MQL is <see cref="RouteAsync"/>, after the save.</summary>
    public static async Task<string?> ImportAsync(TandemDb db, Person p, LifecycleStage to, string? reason, string actor, CancellationToken ct)
    {
        if (await OpenHandoffSentenceAsync(db, p, ct) is { } held) return held;
        if (StageRules.Check(p.Stage, to, await FactsAsync(db, p, reason, ct)) is { } error) return error;
        Record(db, p, to, db.UtcNow, Causes.Import, actor, reason, null, null);
        return null;
    }

    /// <summary>Hands new MQLs to sales (routing and the SLA clock) under the terms in force. Adds rows; the caller saves.</summary>
    public static async Task RouteAsync(TandemDb db, IReadOnlyList<NewMql> mqls, ActiveDefinition? def, CancellationToken ct)
    {
        if (mqls.Count == 0) return;
        def ??= await ActiveDefinition.LoadAsync(db, ct);
        // The SLA clock starts when sales gets the lead (now), not at the qualifying touch, which may have arrived late.
        HandoffAssigner.AddTo(db, await HandoffAssigner.AssignAsync(db, def?.Content.SlaTerms() ?? SlaSection.Default, def?.Row.Id, mqls, db.UtcNow, ct));
    }

    /// <summary>Touches were stored: the definition scores and decides, then qualified people move to MQL and are routed.</summary>
    public static async Task<int> AfterTouchesAsync(TandemDb db, IReadOnlyList<LeadEngine.NewTouch> stored, CancellationToken ct)
    {
        if (stored.Count == 0) return 0;
        var def = await ActiveDefinition.LoadAsync(db, ct);
        if (def is null) return 0;
        return await QualifyAsync(db, def, await LeadEngine.AfterTouchesAsync(db, def, stored, ct), ct);
    }

    /// <summary>People's or accounts' fields changed: re-grade, and qualify anyone who now meets the definition.</summary>
    public static async Task<int> AfterFitChangeAsync(TandemDb db, IReadOnlyCollection<int> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0) return 0;
        var def = await ActiveDefinition.LoadAsync(db, ct);
        if (def is null) return 0;
        return await QualifyAsync(db, def, await LeadEngine.AfterFitChangeAsync(db, def, personIds, ct), ct);
    }

    /// <summary>Recycled people whose re-engage date arrived (Nurture's pass): anyone who meets the definition now goes back to sales as an MQL.</summary>
    public static async Task<int> ReengageAsync(TandemDb db, IReadOnlyCollection<int> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0) return 0;
        var def = await ActiveDefinition.LoadAsync(db, ct);
        if (def is null) return 0;
        return await QualifyAsync(db, def, await LeadEngine.ReevaluateAsync(db, def, personIds, ct), ct);
    }

    /// <summary>
    /// The re-evaluation pass (<see cref="ReevaluationRunner"/>): everyone after a version became active, and people whose negative
    /// score faded back. Scores are brought up to date under the active version; anyone eligible who meets it now becomes an
    /// MQL (cause <c>definition:vN</c>) and is routed, as after a touch.
    /// </summary>
    public static Task<int> ReevaluateAsync(TandemDb db, IReadOnlyCollection<int> personIds, CancellationToken ct) => ReengageAsync(db, personIds, ct);

    /// <summary>
    /// Records the definition's MQLs and hands each to sales, in plain SQL (<see cref="QualifyWriter"/>): this runs in every
    /// ingestion batch. A person the caller has tracked is reloaded, so what it returns shows the move.
    /// </summary>
    private static async Task<int> QualifyAsync(TandemDb db, ActiveDefinition def, IReadOnlyList<LeadEngine.Mql> mqls, CancellationToken ct)
    {
        if (mqls.Count == 0) return 0;
        var people = await QualifyWriter.LoadAsync(db, [.. mqls.Select(m => m.PersonId)], ct);
        var before = people.ToDictionary(p => p.Key, p => QualifyWriter.Before.Of(p.Value));
        var cause = Causes.Of(Transition.Qualify, def.Row.Number);
        var changes = mqls.Select(m => StageHistory.Append(people[m.PersonId], LifecycleStage.MQL, m.At, cause, "system", null, m.Note)).ToList();
        // The SLA clock starts when sales gets the lead (now), not at the qualifying touch, which may have arrived late.
        var made = await HandoffAssigner.AssignAsync(db, def.Content.SlaTerms(), def.Row.Id,
            [.. mqls.Select(m => new NewMql(people[m.PersonId], m.At, m.Note))], db.UtcNow, ct);
        await QualifyWriter.WriteAsync(db, before, [.. people.Values], changes, made, "system", ct);
        // The round-robin seats: moved by the system, whoever sent the touches.
        var actor = db.Actor;
        db.Actor = "system";
        try { await db.SaveChangesAsync(ct); }
        finally { db.Actor = actor; }
        foreach (var e in db.ChangeTracker.Entries<Person>().Where(e => people.ContainsKey(e.Entity.Id)).ToList()) await e.ReloadAsync(ct);
        return mqls.Count;
    }

    /// <summary>
    /// Opportunities drive their primary contact's stage, forward only (as HubSpot's lifecycle sync does): a deal moves the
    /// person to SQL at its created date, a won deal to Customer at its close date; a lost deal moves nothing back. An open
    /// or accepted handoff of the person is closed as converted into the deal. The opportunities must be saved (ids known).
    /// </summary>
    public static async Task AfterOpportunitiesAsync(TandemDb db, IReadOnlyCollection<Opportunity> opportunities, string actor, CancellationToken ct)
    {
        var ids = opportunities.Select(o => o.PrimaryPersonId).OfType<int>().Distinct().ToList();
        if (ids.Count == 0) return;
        var people = await db.People.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var now = db.UtcNow;
        foreach (var o in opportunities.OrderBy(o => o.CreatedAt ?? now).ThenBy(o => o.Id))
            if (o.PrimaryPersonId is { } pid && people.TryGetValue(pid, out var p)) await AdvanceAsync(db, p, o, actor, null, now, ct);
    }

    private static async Task AdvanceAsync(TandemDb db, Person p, Opportunity o, string actor, string? note, DateTime now, CancellationToken ct)
    {
        if (StageRules.OpportunityMoves(p.Stage, LifecycleStage.SQL))
        {
            var change = Record(db, p, LifecycleStage.SQL, Clamp(o.CreatedAt ?? now, p.StageChangedAt, now), Causes.Opportunity, actor,
                null, note ?? $"Opportunity {o.Id}: {o.Name}", null);
            await CloseHandoffsAsync(db, p, change.At, actor, o.Id, ct);
        }
        if (o.Outcome == Outcome.Won && StageRules.OpportunityMoves(p.Stage, LifecycleStage.Customer))
        {
            var change = Record(db, p, LifecycleStage.Customer, Clamp(o.ClosedAt ?? now, p.StageChangedAt, now), Causes.Won, actor,
                null, $"Won opportunity {o.Id}: {o.Name}", null);
            await CloseHandoffsAsync(db, p, change.At, actor, o.Id, ct);
        }
    }

    /// <summary>Sales accepts the lead: SAL, handoff accepted.</summary>
    public static async Task<ActionError?> AcceptAsync(TandemDb db, Handoff h, string? note, string actor, CancellationToken ct)
    {
        if (h.State != HandoffState.Open)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}.");
        var person = await db.People.FirstAsync(p => p.Id == h.PersonId, ct);
        if (await HandoffMoveAsync(db, person, LifecycleStage.SAL, Causes.Accept, actor, null, note, null, ct) is { } e) return e;
        StageHistory.Decide(h, HandoffState.Accepted, db.UtcNow, actor);
        return null;
    }

    /// <summary>Sales rejects the lead with a reason from the catalog: Nurture with a re-engage date when it recycles, else Disqualified.</summary>
    public static async Task<ActionError?> RejectAsync(TandemDb db, Handoff h, RejectReason reason, string? note, DateTime? reengageAt, string actor,
        CancellationToken ct)
    {
        if (h.State != HandoffState.Open)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}; it cannot be rejected now.");
        var person = await db.People.FirstAsync(p => p.Id == h.PersonId, ct);
        var to = reason.Recycles ? LifecycleStage.Nurture : LifecycleStage.Disqualified;
        if (await HandoffMoveAsync(db, person, to, Causes.Reject, actor, reason.Label, note, reengageAt, ct) is { } e) return e;
        StageHistory.Decide(h, HandoffState.Rejected, db.UtcNow, actor);
        (h.RejectReason, h.RejectNote) = (reason.Code, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        return null;
    }

    /// <summary>
    /// Sales turns the lead into an opportunity: a lead still open is accepted on the way (the funnel counts it at SAL too),
    /// the opportunity is saved, and <see cref="AfterOpportunitiesAsync"/> moves the person to SQL and closes the handoff.
    /// </summary>
    public static async Task<ActionError?> ConvertAsync(TandemDb db, Handoff h, Opportunity opp, string? note, string actor, CancellationToken ct)
    {
        if (h.State is HandoffState.Rejected or HandoffState.Converted)
            return ActionError.Conflict($"Lead {h.Id} was already {h.State.ToString().ToLowerInvariant()} by {h.DecidedBy} at {h.DecidedAt:u}.");
        var person = await db.People.FirstAsync(p => p.Id == h.PersonId, ct);
        if (h.State == HandoffState.Open)
        {
            if (await HandoffMoveAsync(db, person, LifecycleStage.SAL, Causes.Accept, actor, null, null, null, ct) is { } e) return e;
            StageHistory.Decide(h, HandoffState.Accepted, db.UtcNow, actor);
        }
        if (!StageRules.OpportunityMoves(person.Stage, LifecycleStage.SQL))
            return ActionError.Conflict($"{person.DisplayName} cannot move to SQL: they are already {person.Stage}.");
        db.Opportunities.Add(opp);
        await db.SaveChangesAsync(ct);
        db.OpportunityStageChanges.Add(new OpportunityStageChange { OpportunityId = opp.Id, To = opp.SalesStage, Outcome = Outcome.Open, At = db.UtcNow, Actor = actor });
        await AdvanceAsync(db, person, opp, actor, note, db.UtcNow, ct);
        return null;
    }

    /// <summary>The sentence that refuses a move of a person sales holds in an open handoff; null when none is open.</summary>
    private static async Task<string?> OpenHandoffSentenceAsync(TandemDb db, Person p, CancellationToken ct)
    {
        var open = await db.Handoffs.AsNoTracking().Where(h => h.PersonId == p.Id && h.State == HandoffState.Open)
            .Select(h => new { h.Id, h.AssigneeId }).FirstOrDefaultAsync(ct);
        if (open is null) return null;
        var who = open.AssigneeId is { } a ? await db.Users.AsNoTracking().Where(u => u.Id == a).Select(u => u.Name).FirstOrDefaultAsync(ct) : null;
        return $"{p.DisplayName} is handed over to sales (lead {open.Id}{(who is null ? "" : $", with {who}")}): sales accepts, converts or " +
               $"rejects the lead on its page (or POST /api/handoffs/{open.Id}/accept, /convert or /reject), so the stage does not move by hand meanwhile.";
    }

    private static async Task CloseHandoffsAsync(TandemDb db, Person p, DateTime at, string actor, int? opportunityId, CancellationToken ct)
    {
        var live = db.Handoffs.Local.Where(h => h.PersonId == p.Id && h.State is HandoffState.Open or HandoffState.Accepted).ToList();
        if (live.Count == 0)
            live = await db.Handoffs.Where(h => h.PersonId == p.Id && (h.State == HandoffState.Open || h.State == HandoffState.Accepted)).ToListAsync(ct);
        foreach (var h in live)
        {
            StageHistory.Decide(h, HandoffState.Converted, at, actor);
            h.OpportunityId ??= opportunityId;
        }
    }

    private static async Task<ActionError?> HandoffMoveAsync(TandemDb db, Person p, LifecycleStage to, string cause, string actor, string? reason,
        string? note, DateTime? reengageAt, CancellationToken ct)
    {
        if (StageRules.Check(p.Stage, to, await FactsAsync(db, p, reason, ct)) is { } error)
            return ActionError.Conflict($"{p.DisplayName} cannot move to {to}: {error}");
        Record(db, p, to, db.UtcNow, cause, actor, reason, note, reengageAt);
        return null;
    }

    private static StageChange Record(TandemDb db, Person p, LifecycleStage to, DateTime at, string cause, string actor, string? reason, string? note,
        DateTime? reengageAt)
    {
        var change = StageHistory.Append(p, to, at, cause, actor, reason, note, reengageAt);
        db.StageChanges.Add(change);
        return change;
    }

    private static async Task<StageFacts> FactsAsync(TandemDb db, Person p, string? reason, CancellationToken ct)
    {
        var hasOwn = await db.Opportunities.AnyAsync(o => o.PrimaryPersonId == p.Id, ct);
        var hasWon = await db.Opportunities.AnyAsync(o => (o.PrimaryPersonId == p.Id || (p.AccountId != null && o.AccountId == p.AccountId)) && o.Outcome == Outcome.Won, ct);
        return new StageFacts(hasOwn, hasWon, reason);
    }

    /// <summary>History only moves forward in time: a move dated before the person's last one (a back-dated deal) is dated at it.</summary>
    internal static DateTime Clamp(DateTime at, DateTime since, DateTime now) => at < since ? since : at > now ? now : at;
}
