using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Handoffs;

public sealed record HandoffDto(int Id, int PersonId, string PersonName, string? Email, string? Title, int? AccountId, string? AccountName,
    int? AssigneeId, string? AssigneeName, int? TeamId, string Rule, string RuleNote, HandoffState State, SlaStatus Status,
    DateTime MqlAt, DateTime AssignedAt, DateTime FirstTouchDue, DateTime AttemptsDue, DateTime DecideDue, DateTime? FirstTouchAt,
    int AttemptCount, int MinAttempts, string? NextStep, DateTime? NextDue, DateTime? DecidedAt, string? DecidedBy,
    string? RejectReason, string? RejectNote, int? OpportunityId, bool KnownOpportunity, int Version);

public sealed record AttemptDto(long Id, AttemptKind Kind, DateTime At, string? Note, string Actor);

public sealed record BreachDto(long Id, SlaDeadline Deadline, DateTime DueAt, DateTime RecordedAt, DateTime? NotifiedAt, DateTime? EscalatedAt);

public sealed record HandoffDetailDto(HandoffDto Handoff, IReadOnlyList<AttemptDto> Attempts, IReadOnlyList<BreachDto> Breaches);

/// <summary>Handoffs as the API and the pages show them: with names, status now and the next step, most urgent first.</summary>
public static class HandoffQueries
{
    /// <summary>A deadline this close (real time) shows as due soon.</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromHours(2);

    public static async Task<List<HandoffDto>> ListAsync(TandemDb db, IQueryable<Handoff> query, CancellationToken ct)
    {
        var rows = await query.AsNoTracking().ToListAsync(ct);
        return await DtosAsync(db, rows, ct);
    }

    /// <summary>Open leads first, most urgent (earliest next deadline) first; then decided ones, newest first.</summary>
    public static List<HandoffDto> ByUrgency(IEnumerable<HandoffDto> items) =>
        [.. items.OrderBy(h => h.State == HandoffState.Open ? 0 : 1).ThenBy(h => h.NextDue ?? DateTime.MaxValue).ThenByDescending(h => h.DecidedAt).ThenBy(h => h.Id)];

    public static async Task<HandoffDetailDto?> DetailAsync(TandemDb db, int id, CancellationToken ct)
    {
        var h = await db.Handoffs.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return null;
        var attempts = await db.HandoffAttempts.AsNoTracking().Where(a => a.HandoffId == id).OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => new AttemptDto(a.Id, a.Kind, a.At, a.Note, a.Actor)).ToListAsync(ct);
        var breaches = await db.SlaBreaches.AsNoTracking().Where(b => b.HandoffId == id).OrderBy(b => b.DueAt)
            .Select(b => new BreachDto(b.Id, b.Deadline, b.DueAt, b.RecordedAt, b.NotifiedAt, b.EscalatedAt)).ToListAsync(ct);
        return new HandoffDetailDto((await DtosAsync(db, [h], ct))[0], attempts, breaches);
    }

    public static async Task<List<HandoffDto>> DtosAsync(TandemDb db, List<Handoff> rows, CancellationToken ct)
    {
        var personIds = rows.Select(h => h.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, p.FirstName, p.LastName, p.Email, p.ExternalId, p.Title, p.AccountId }).ToDictionaryAsync(p => p.Id, ct);
        var accountIds = people.Values.Select(p => p.AccountId).OfType<int>().Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var userIds = rows.Select(h => h.AssigneeId).OfType<int>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var now = db.UtcNow;
        return [.. rows.Select(h =>
        {
            var p = people[h.PersonId];
            var name = Names.Person(p.FirstName, p.LastName, p.Email, p.ExternalId, p.Id);
            var pending = SlaClock.Pending(h);
            return new HandoffDto(h.Id, h.PersonId, name, p.Email, p.Title, p.AccountId, p.AccountId is { } a ? accounts.GetValueOrDefault(a) : null,
                h.AssigneeId, h.AssigneeId is { } u ? users.GetValueOrDefault(u) : null, h.TeamId, h.Rule, h.RuleNote, h.State,
                SlaClock.Status(h, now, DueSoon), h.MqlAt, h.AssignedAt, h.FirstTouchDue, h.AttemptsDue, h.DecideDue, h.FirstTouchAt,
                h.AttemptCount, h.MinAttempts, pending is { } x ? SlaClock.Describe(x.Deadline) : null, pending?.Due, h.DecidedAt, h.DecidedBy,
                h.RejectReason, h.RejectNote, h.OpportunityId, h.KnownOpportunity, h.Version);
        })];
    }
}
