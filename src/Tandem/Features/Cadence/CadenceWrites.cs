using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;

namespace Tandem.Features.Cadence;

public sealed record NoteInput(NoteKind? Kind, string? Text, int? PersonId, int? AccountId, int? OpportunityId, DateTime? At,
    ReviewOutcome? Outcome = null, string[]? Reasons = null, string? Criteria = null, string? Competitor = null);

public sealed record ActionInput(string? Title, int? OwnerId, DateOnly? DueOn, string? Week);

/// <summary>Adding notes and action items, checked field by field (API and page share it).</summary>
public static class CadenceWrites
{
    public static async Task<(FieldNote? Note, Errors Errors)> AddNoteAsync(TandemDb db, NoteInput input, int? authorId, string authorName, CancellationToken ct)
    {
        var e = new Errors();
        if (input.Kind is null) e.Add("kind", "Say what kind of note it is: Question, Objection, Competitor, FeatureGap, RideAlong or Review.");
        if (string.IsNullOrWhiteSpace(input.Text)) e.Add("text", "A note needs text.");
        else if (input.Text.Length > 4000) e.Add("text", "A note holds at most 4000 characters.");
        if (input.PersonId is { } p && !await db.People.AnyAsync(x => x.Id == p, ct)) e.Add("personId", $"Person {p} does not exist.");
        if (input.AccountId is { } a && !await db.Accounts.AnyAsync(x => x.Id == a, ct)) e.Add("accountId", $"Account {a} does not exist.");
        if (input.OpportunityId is { } o && !await db.Opportunities.AnyAsync(x => x.Id == o, ct)) e.Add("opportunityId", $"Opportunity {o} does not exist.");
        if (input.Kind == NoteKind.Review)
        {
            if (input.Outcome is null) e.Add("outcome", "A review says whether the deal was Won, Lost or NoDecision.");
            var known = await db.RejectReasons.AsNoTracking().Select(r => r.Code).ToListAsync(ct);
            foreach (var r in input.Reasons ?? [])
                if (!known.Contains(r)) e.Add("reasons", $"\"{r}\" is not in the reason catalog ({string.Join(", ", known)}).");
        }
        if (input.Criteria?.Length > 1000) e.Add("criteria", "Decision criteria hold at most 1000 characters.");
        if (input.Competitor?.Length > 200) e.Add("competitor", "A competitor's name holds at most 200 characters.");
        if (e.Any) return (null, e);
        var note = new FieldNote
        {
            Kind = input.Kind!.Value, Text = input.Text!.Trim(), PersonId = input.PersonId, AccountId = input.AccountId, OpportunityId = input.OpportunityId,
            AuthorId = authorId, AuthorName = authorName, At = input.At?.ToUniversalTime() ?? db.UtcNow, CreatedAt = db.UtcNow,
            Outcome = input.Kind == NoteKind.Review ? input.Outcome : null, Reasons = input.Reasons is { Length: > 0 } rs ? string.Join(",", rs) : null,
            Criteria = input.Criteria?.Trim(), Competitor = input.Competitor?.Trim(),
        };
        db.FieldNotes.Add(note);
        await db.SaveChangesAsync(ct);
        return (note, e);
    }

    public static async Task<(ActionItem? Item, Errors Errors)> AddActionAsync(TandemDb db, ActionInput input, IsoWeek thisWeek, CancellationToken ct)
    {
        var e = new Errors();
        if (string.IsNullOrWhiteSpace(input.Title)) e.Add("title", "An action item needs a title.");
        else if (input.Title.Length > 300) e.Add("title", "A title holds at most 300 characters.");
        if (input.OwnerId is { } o && !await db.Users.AnyAsync(u => u.Id == o && u.IsActive, ct)) e.Add("ownerId", $"User {o} does not exist or is inactive.");
        var week = thisWeek;
        if (input.Week is { Length: > 0 } w)
        {
            if (IsoWeek.Parse(w, thisWeek.Monday) is { } parsed) week = parsed;
            else e.Add("week", $"\"{w}\" is not an ISO week such as 2026-W48.");
        }
        if (e.Any) return (null, e);
        var item = new ActionItem
        {
            Title = input.Title!.Trim(), OwnerId = input.OwnerId, DueOn = input.DueOn, Status = ActionStatus.Open, RaisedWeek = week.Key,
            CreatedAt = db.UtcNow, CreatedBy = db.Actor,
        };
        db.ActionItems.Add(item);
        await db.SaveChangesAsync(ct);
        return (item, e);
    }
}
