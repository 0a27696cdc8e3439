using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Learning;

namespace Tandem.Features.Demo;

/// <summary>
/// The demo ships a trained, promoted scoring model, so the person pages explain leads and the model report has figures
/// from the first sign-in. It predicts the default label (SQL within 90 days of the Inquiry), promoted in the name
/// of the demo's marketing lead. A demo too small to learn from (the trainer refuses) simply has no model.
/// </summary>
internal static class DemoLearning
{
    public static readonly LearnTarget Target = new();

    public static async Task AddAsync(TandemDb db, CancellationToken ct)
    {
        // The generator turns change detection off for its bulk writes; promoting changes tracked rows.
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        try { await TrainAndPromoteAsync(db, ct); }
        finally { db.ChangeTracker.AutoDetectChangesEnabled = detect; }
    }

    private static async Task TrainAndPromoteAsync(TandemDb db, CancellationToken ct)
    {
        var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
        var (model, _) = await Models.TrainAsync(db, facts, Target, TrainChoices.None, "demo", null, ct);
        if (model is null) return;
        var marketing = await db.Users.AsNoTracking().Where(u => u.Role == Role.Marketing).OrderBy(u => u.Id).Select(u => u.Name).FirstAsync(ct);
        await Models.PromoteAsync(db, model.Number, marketing, confirmed: true, ct);
    }
}
