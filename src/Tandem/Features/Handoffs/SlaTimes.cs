namespace Tandem.Features.Handoffs;

/// <summary>
/// What the SLA arithmetic reads of a handoff: its three deadlines, when each promise was kept, and the breaches already
/// recorded. <see cref="Handoff"/> is one; <see cref="SlaRow"/> is the same read as columns, so a report over many weeks of
/// handoffs need not load whole entities (and nothing outside Lifecycle sets a handoff's decision, decision 0040).
/// </summary>
public interface ISlaTimes
{
    DateTime FirstTouchDue { get; }
    DateTime AttemptsDue { get; }
    DateTime DecideDue { get; }
    DateTime? FirstTouchAt { get; }
    DateTime? AttemptsMetAt { get; }
    DateTime? DecidedAt { get; }
    int BreachedMask { get; }
}

/// <summary>A handoff read for the SLA figures only: who had it, since when, and its <see cref="ISlaTimes"/>.</summary>
public sealed record SlaRow(int Id, int? AssigneeId, DateTime AssignedAt, DateTime FirstTouchDue, DateTime AttemptsDue, DateTime DecideDue,
    DateTime? FirstTouchAt, DateTime? AttemptsMetAt, DateTime? DecidedAt, int BreachedMask) : ISlaTimes
{
    /// <summary>The handoffs of <paramref name="query"/> as rows, translated to one SELECT of these columns.</summary>
    public static IQueryable<SlaRow> Of(IQueryable<Handoff> query) => query.Select(h => new SlaRow(h.Id, h.AssigneeId, h.AssignedAt,
        h.FirstTouchDue, h.AttemptsDue, h.DecideDue, h.FirstTouchAt, h.AttemptsMetAt, h.DecidedAt, h.BreachedMask));
}
