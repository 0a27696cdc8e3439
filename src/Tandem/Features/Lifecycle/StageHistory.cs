using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.People;

namespace Tandem.Features.Lifecycle;

/// <summary>
/// The pure part of a stage move: the history row and the person's cached stage, written together, and the handoff's
/// decision. Nothing else in Tandem constructs a <see cref="StageChange"/> or sets <see cref="Person.Stage"/> or
/// <see cref="Handoff.State"/> (the architecture test enforces it); the demo generator uses these too, so its synthetic
/// history has the same shape as a live one.
/// </summary>
public static class StageHistory
{
    /// <summary>Moves the person in memory and returns the row recording it (not yet added to any context).</summary>
    public static StageChange Append(Person p, LifecycleStage to, DateTime at, string cause, string actor, string? reason = null,
        string? note = null, DateTime? reengageAt = null, bool first = false)
    {
        var change = new StageChange
        {
            PersonId = p.Id, From = first ? null : p.Stage, To = to, At = at, Cause = cause, Actor = actor,
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            ReengageAt = to == LifecycleStage.Nurture ? reengageAt : null,
        };
        p.Stage = to;
        p.StageChangedAt = at;
        p.ReengageAt = change.ReengageAt;
        return change;
    }

    /// <summary>Records sales' decision on a handoff: the first decision keeps its time and author; the SLA clock stops.</summary>
    public static void Decide(Handoff h, HandoffState to, DateTime at, string actor)
    {
        (h.State, h.DecidedAt, h.DecidedBy) = (to, h.DecidedAt ?? at, h.State == HandoffState.Open ? actor : h.DecidedBy);
        h.NextDeadline = SlaClock.Next(h);
    }

    /// <summary>A new handoff starts open.</summary>
    public static void Open(Handoff h) => (h.State, h.DecidedAt, h.DecidedBy) = (HandoffState.Open, null, null);
}
