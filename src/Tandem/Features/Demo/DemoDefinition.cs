using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Features.Demo;

/// <summary>The demo's v1 lead definition, approved by the head of marketing and the first sales manager before the history starts.</summary>
internal static class DemoDefinition
{
    public static async Task<int> AddAsync(TandemDb db, DemoCompany co, CancellationToken ct)
    {
        var content = StarterDefinition.Content;
        var marketing = co.Users.First(u => u.Role == Role.Marketing);
        var sales = co.Users.First(u => u.Role == Role.SalesManager);
        var d = new LeadDefinition
        {
            Number = 1, Status = DefinitionStatus.Active, Note = "First shared definition, agreed at the revenue kick-off.",
            Content = content.ToJson(), ContentHash = content.Hash(), CreatedBy = $"user:{marketing.Id}",
            CreatedAt = co.Start.AddDays(-7), ActivatedAt = co.Start, UpdatedAt = co.Start, Version = 1,
        };
        db.LeadDefinitions.Add(d);
        await db.SaveChangesAsync(ct);
        db.DefinitionReviews.AddRange(
            new DefinitionReview { DefinitionId = d.Id, UserId = marketing.Id, Side = ReviewSide.Marketing, Decision = ReviewDecision.Approve,
                ContentHash = d.ContentHash, Comment = "Matches what converts for us.", At = co.Start.AddDays(-3) },
            new DefinitionReview { DefinitionId = d.Id, UserId = sales.Id, Side = ReviewSide.Sales, Decision = ReviewDecision.Approve,
                ContentHash = d.ContentHash, Comment = "Agreed: my team follows these up within the SLA.", At = co.Start });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return d.Id;
    }
}
