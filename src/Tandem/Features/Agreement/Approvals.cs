using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>Who has signed the current content of a draft, per side.</summary>
public sealed record ApprovalState(int? MarketingUserId, int? SalesUserId)
{
    public bool Complete => MarketingUserId is not null && SalesUserId is not null && MarketingUserId != SalesUserId;
}

/// <summary>
/// The approval rules, pure. A definition becomes active only when one marketing user and one sales manager, two different
/// people, have approved its exact content hash. Each reviewer's latest decision on that hash is the one that counts,
/// so a rejection withdraws the same person's earlier approval. Reps and viewers do not approve; nor do admins, whose
/// role names no side (docs/decisions/0007-lead-definition.md).
/// </summary>
public static class Approvals
{
    public static ReviewSide? SideOf(Role? role) => role switch
    {
        Role.Marketing => ReviewSide.Marketing,
        Role.SalesManager => ReviewSide.Sales,
        _ => null,
    };

    /// <summary>Null if the review may be recorded; otherwise the status code and the reason.</summary>
    public static (int Status, string Message)? Check(LeadDefinition d, string? sentHash, int? userId, Role? role, ReviewDecision decision,
        IEnumerable<DefinitionReview> existing)
    {
        if (d.Status != DefinitionStatus.Draft)
            return (409, $"v{d.Number} is {d.Status.ToString().ToLowerInvariant()}; only drafts are reviewed. Create a draft from it to propose a change.");
        if (userId is null) return (403, "Reviews are made by a signed-in person, not an API key.");
        if (decision == ReviewDecision.Comment) return null;
        if (string.IsNullOrWhiteSpace(sentHash)) return (400, "Send the contentHash of the version you reviewed.");
        if (sentHash != d.ContentHash)
            return (409, $"v{d.Number} has changed since you read it: its content is now {d.ContentHash}, you reviewed {sentHash}. Review the current content.");
        if (SideOf(role) is null)
            return (403, $"Only marketing users and sales managers approve or reject the lead definition; a {role?.ToString() ?? "caller without a role"} cannot.");
        var mine = Latest(existing, d.ContentHash).GetValueOrDefault(userId.Value);
        if (mine?.Decision == decision)
            return (409, $"You have already {(decision == ReviewDecision.Approve ? "approved" : "rejected")} this content of v{d.Number}.");
        return null;
    }

    public static ApprovalState State(string hash, IEnumerable<DefinitionReview> reviews)
    {
        var approvals = Latest(reviews, hash).Values.Where(r => r.Decision == ReviewDecision.Approve).OrderBy(r => r.At).ToList();
        var marketing = approvals.FirstOrDefault(r => r.Side == ReviewSide.Marketing)?.UserId;
        var sales = approvals.FirstOrDefault(r => r.Side == ReviewSide.Sales && r.UserId != marketing)?.UserId;
        return new ApprovalState(marketing, sales);
    }

    private static Dictionary<int, DefinitionReview> Latest(IEnumerable<DefinitionReview> reviews, string hash) =>
        reviews.Where(r => r.ContentHash == hash && r.Decision != ReviewDecision.Comment)
            .GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.At).ThenBy(r => r.Id).Last());
}
