namespace Tandem.Features.Agreement;

public sealed record ReviewDto(int UserId, string? UserName, ReviewSide Side, ReviewDecision Decision, string ContentHash, bool Current, string? Comment, DateTime At);

public sealed record DefinitionSummaryDto(int Number, DefinitionStatus Status, string? Note, string ContentHash, string Summary, string CreatedBy,
    DateTime CreatedAt, DateTime? ActivatedAt, DateTime? RetiredAt);

public sealed record DefinitionDto(int Number, DefinitionStatus Status, string? Note, string ContentHash, string Summary, DefinitionContent Content,
    int? BasedOn, string CreatedBy, DateTime CreatedAt, DateTime? ActivatedAt, DateTime? RetiredAt, int Version,
    bool MarketingApproved, bool SalesApproved, IReadOnlyList<ReviewDto> Reviews);

/// <summary>Create a draft: from <see cref="Content"/>, or a copy of version <see cref="BasedOn"/> (default: the active one).</summary>
public sealed record DraftInput(DefinitionContent? Content, int? BasedOn, string? Note);

/// <summary>Edit a draft; <see cref="Version"/> is the version last read.</summary>
public sealed record DraftUpdate(DefinitionContent? Content, string? Note, int? Version);

/// <summary>Approve, reject or comment. Approvals and rejections name the <see cref="ContentHash"/> reviewed.</summary>
public sealed record ReviewInput(ReviewDecision? Decision, string? ContentHash, string? Comment);

public sealed record ReviewResult(int Number, DefinitionStatus Status, bool MarketingApproved, bool SalesApproved, bool Activated);
