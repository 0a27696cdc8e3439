using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>Who has signed the current content of a draft, per side.</summary>
public sealed record ApprovalState(int? MarketingUserId, int? SalesUserId)
{
    public bool Complete => MarketingUserId is not null && SalesUserId is not null && MarketingUserId != SalesUserId;
}

/// <summary>One person's decision on one exact content hash of something both sides sign.</summary>
public interface IReview
{
    int Id { get; }
    int UserId { get; }
    ReviewSide Side { get; }
    ReviewDecision Decision { get; }
    string ContentHash { get; }
    DateTime At { get; }
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
        IEnumerable<DefinitionReview> existing) =>
        Check(d.Status == DefinitionStatus.Draft, $"v{d.Number}", d.Status.ToString().ToLowerInvariant(), "the lead definition", d.ContentHash,
            sentHash, userId, role, decision, existing);

    /// <summary>The same rules for anything both sides sign (lead definitions, revenue plans): <paramref name="name"/> is
    /// "v3", <paramref name="kind"/> "the lead definition".</summary>
    public static (int Status, string Message)? Check<TReview>(bool isDraft, string name, string status, string kind, string hash, string? sentHash,
        int? userId, Role? role, ReviewDecision decision, IEnumerable<TReview> existing) where TReview : class, IReview
    {
        if (!isDraft)
            return (409, $"{name} is {status}; only drafts are reviewed. Create a draft from it to propose a change.");
        if (userId is null) return (403, "Reviews are made by a signed-in person, not an API key.");
        if (decision == ReviewDecision.Comment) return null;
        if (string.IsNullOrWhiteSpace(sentHash)) return (400, "Send the contentHash of the version you reviewed.");
        if (sentHash != hash)
            return (409, $"{name} has changed since you read it: its content is now {hash}, you reviewed {sentHash}. Review the current content.");
        if (SideOf(role) is null)
            return (403, $"Only marketing users and sales managers approve or reject {kind}; a {role?.ToString() ?? "caller without a role"} cannot.");
        var mine = Latest(existing, hash).GetValueOrDefault(userId.Value);
        if (mine?.Decision == decision)
            return (409, $"You have already {(decision == ReviewDecision.Approve ? "approved" : "rejected")} this content of {name}.");
        return null;
    }

    public static ApprovalState State<TReview>(string hash, IEnumerable<TReview> reviews) where TReview : class, IReview
    {
        var approvals = Latest(reviews, hash).Values.Where(r => r.Decision == ReviewDecision.Approve).OrderBy(r => r.At).ToList();
        var marketing = approvals.FirstOrDefault(r => r.Side == ReviewSide.Marketing)?.UserId;
        var sales = approvals.FirstOrDefault(r => r.Side == ReviewSide.Sales && r.UserId != marketing)?.UserId;
        return new ApprovalState(marketing, sales);
    }

    private static Dictionary<int, TReview> Latest<TReview>(IEnumerable<TReview> reviews, string hash) where TReview : class, IReview =>
        reviews.Where(r => r.ContentHash == hash && r.Decision != ReviewDecision.Comment)
            .GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.At).ThenBy(r => r.Id).Last());
}
