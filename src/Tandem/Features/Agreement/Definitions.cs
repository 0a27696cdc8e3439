using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>The life of a definition version: draft, edit, review, activate. Used by the API, the CLI and the demo.</summary>
public static class Definitions
{
    public static Task<LeadDefinition?> FindAsync(TandemDb db, int number, CancellationToken ct) =>
        db.LeadDefinitions.FirstOrDefaultAsync(d => d.Number == number, ct);

    public static async Task<LeadDefinition> CreateDraftAsync(TandemDb db, DefinitionContent content, string? note, LeadDefinition? basedOn,
        CancellationToken ct)
    {
        var next = (await db.LeadDefinitions.MaxAsync(d => (int?)d.Number, ct) ?? 0) + 1;
        var d = new LeadDefinition
        {
            Number = next, Status = DefinitionStatus.Draft, Note = Clean(note), Content = content.ToJson(), ContentHash = content.Hash(),
            BasedOnId = basedOn?.Id, CreatedBy = db.Actor, CreatedAt = db.UtcNow,
        };
        db.LeadDefinitions.Add(d);
        await db.SaveChangesAsync(ct);
        return d;
    }

    /// <summary>Replaces a draft's content; earlier approvals were of the old hash and no longer count.</summary>
    public static void Edit(LeadDefinition d, DefinitionContent content, string? note)
    {
        if (d.Status != DefinitionStatus.Draft) throw new InvalidOperationException($"v{d.Number} is not a draft.");
        (d.Content, d.ContentHash, d.Note) = (content.ToJson(), content.Hash(), Clean(note) ?? d.Note);
    }

    /// <summary>
    /// Records a review (already checked with <see cref="Approvals.Check"/>); activates the draft when both sides approved.
    /// Reviews of one definition are serialized: the transaction first takes the definition's row (PostgreSQL: FOR UPDATE;
    /// SQLite: the write lock every transaction takes at BEGIN), then reads the reviews. Two approvals at the same moment
    /// therefore cannot each miss the other; the second one sees both and activates.
    /// </summary>
    public static async Task<bool> ReviewAsync(TandemDb db, LeadDefinition d, int userId, Role? role, ReviewDecision decision, string? comment,
        CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        if (!db.IsSqlite)
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM lead_definitions WHERE \"Id\" = {d.Id} FOR UPDATE", ct);
        await db.Entry(d).ReloadAsync(ct);
        if (d.Status != DefinitionStatus.Draft) throw new ReviewRaceException(d);
        var side = Approvals.SideOf(role) ?? ReviewSide.Marketing;
        db.DefinitionReviews.Add(new DefinitionReview
        {
            DefinitionId = d.Id, UserId = userId, Side = side, Decision = decision, ContentHash = d.ContentHash, Comment = Clean(comment), At = db.UtcNow,
        });
        var reviews = await db.DefinitionReviews.AsNoTracking().Where(r => r.DefinitionId == d.Id).ToListAsync(ct);
        reviews.AddRange(db.DefinitionReviews.Local.Where(r => r.DefinitionId == d.Id && r.Id == 0));
        var activate = decision == ReviewDecision.Approve && Approvals.State(d.ContentHash, reviews).Complete;
        if (activate)
        {
            var now = db.UtcNow;
            var retired = await db.LeadDefinitions.Where(x => x.Status == DefinitionStatus.Active).ToListAsync(ct);
            foreach (var old in retired)
                (old.Status, old.RetiredAt) = (DefinitionStatus.Retired, now);
            // Retire first: the unique index allows one active version at any moment, also inside the transaction.
            await db.SaveChangesAsync(ct);
            (d.Status, d.ActivatedAt) = (DefinitionStatus.Active, now);
            // Everyone is re-evaluated under the new version in the background; the row commits with the activation, so a
            // crash cannot activate a version without its run (decision 0085).
            db.Reevaluations.Add(Reevaluation.For(d, retired.FirstOrDefault()?.Id, now));
        }
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return activate;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>The draft stopped being a draft (another review activated it, or it was retired) between the check and the write.</summary>
public sealed class ReviewRaceException(string name, string status)
    : Exception($"{name} became {status} while your review was being recorded; only drafts are reviewed.")
{
    public ReviewRaceException(LeadDefinition d) : this($"v{d.Number}", d.Status.ToString().ToLowerInvariant()) { }
}
