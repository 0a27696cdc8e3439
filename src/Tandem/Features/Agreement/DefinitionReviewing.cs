using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Agreement;

/// <summary>How a review attempt ended: <see cref="Result"/> when recorded; otherwise the status, the field at fault
/// (for 400) and the reason in words.</summary>
public sealed record ReviewOutcome(int Status, string? Field, string? Message, ReviewResult? Result)
{
    public bool Recorded => Result is not null;

    public static ReviewOutcome Refused(int status, string message, string? field = null) => new(status, field, message, null);
}

/// <summary>
/// One review, from any front end: the checks (<see cref="Approvals.Check"/>), the record and the activation
/// (<see cref="Definitions.ReviewAsync"/>), in the order the definitions API does them, so the Agreement page's
/// Approve / Reject / Comment buttons and POST /api/definitions/{n}/reviews refuse and accept exactly the same things.
/// </summary>
public static class DefinitionReviewing
{
    public static async Task<ReviewOutcome> SubmitAsync(TandemDb db, int number, ReviewInput input, ClaimsPrincipal user, CancellationToken ct)
    {
        if (input.Decision is null) return ReviewOutcome.Refused(400, "'decision' is required: Approve, Reject or Comment.", "decision");
        if (input.Decision == ReviewDecision.Comment && string.IsNullOrWhiteSpace(input.Comment))
            return ReviewOutcome.Refused(400, "A comment needs text.", "comment");
        var d = await Definitions.FindAsync(db, number, ct);
        if (d is null) return ReviewOutcome.Refused(404, $"Definition version {number} does not exist.");
        var reviews = await db.DefinitionReviews.AsNoTracking().Where(r => r.DefinitionId == d.Id).ToListAsync(ct);
        if (Approvals.Check(d, input.ContentHash, user.UserId(), user.Role(), input.Decision.Value, reviews) is { } refusal)
            return ReviewOutcome.Refused(refusal.Status, refusal.Message, refusal.Status == 400 ? "contentHash" : null);
        bool activated;
        try
        {
            activated = await Definitions.ReviewAsync(db, d, user.UserId()!.Value, user.Role(), input.Decision.Value, input.Comment, ct);
        }
        catch (DbUpdateException)
        {
            return ReviewOutcome.Refused(409, $"Another version was activated at the same moment as v{d.Number}. Reload and review again.");
        }
        catch (ReviewRaceException e)
        {
            return ReviewOutcome.Refused(409, e.Message);
        }
        var state = Approvals.State(d.ContentHash, await db.DefinitionReviews.AsNoTracking().Where(r => r.DefinitionId == d.Id).ToListAsync(ct));
        return new ReviewOutcome(200, null, null,
            new ReviewResult(d.Number, d.Status, state.MarketingUserId is not null, state.SalesUserId is not null, activated));
    }
}
