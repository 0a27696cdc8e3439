using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Opportunities;

namespace Tandem.Features.People;

/// <summary>The one way a person's stage changes: the rule check, the history row and the cached stage together.</summary>
public static class Stages
{
    public static async Task<StageFacts> FactsAsync(TandemDb db, Person p, string? reason, CancellationToken ct)
    {
        var opps = db.Opportunities.Where(o => o.PrimaryPersonId == p.Id || (p.AccountId != null && o.AccountId == p.AccountId));
        var hasOwn = await db.Opportunities.AnyAsync(o => o.PrimaryPersonId == p.Id, ct);
        var hasWon = await opps.AnyAsync(o => o.Outcome == Outcome.Won, ct);
        return new StageFacts(hasOwn, hasWon, reason);
    }

    /// <summary>Records the first stage of a new person (no rule check: a new person has no history to break).</summary>
    public static StageChange Enter(TandemDb db, Person p, LifecycleStage stage, DateTime at, string cause, string actor, string? reason = null)
    {
        p.Stage = stage;
        p.StageChangedAt = at;
        var change = new StageChange { Person = p, From = null, To = stage, At = at, Cause = cause, Actor = actor, Reason = reason };
        db.StageChanges.Add(change);
        return change;
    }

    public static async Task<(StageChange? Change, string? Error)> MoveAsync(TandemDb db, Person p, LifecycleStage to,
        string cause, string actor, string? reason, string? note, DateTime? reengageAt, CancellationToken ct)
    {
        var facts = await FactsAsync(db, p, reason, ct);
        if (StageRules.Check(p.Stage, to, facts) is { } error) return (null, error);
        var now = db.UtcNow;
        var change = new StageChange
        {
            PersonId = p.Id, From = p.Stage, To = to, At = now, Cause = cause, Actor = actor,
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
        change.ReengageAt = to == LifecycleStage.Nurture ? reengageAt : null;
        db.StageChanges.Add(change);
        p.Stage = to;
        p.StageChangedAt = now;
        p.ReengageAt = change.ReengageAt;
        return (change, null);
    }
}
