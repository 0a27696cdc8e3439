using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;
using Tandem.Features.Plan;

namespace Tandem.Features.Demo;

/// <summary>
/// The demo's second half of the loop, so the Revenue page is alive on the first run: a plan for the current quarter approved
/// by marketing and sales, and the automatic snapshots of this quarter and the two before it, as the snapshot job would have
/// taken them at each quarter's first midnight (rebuilt from the deals' history).
/// </summary>
internal static class DemoPlan
{
    public static async Task AddAsync(TandemDb db, DemoCompany co, CancellationToken ct)
    {
        var options = PlanOptions.FromEnvironment();
        var zone = options.Zone();
        var now = db.UtcNow;
        var quarter = Period.Quarter(Periods.Today(now, zone));
        var book = await DealBook.LoadAsync(db, ct);
        for (var q = quarter.Previous().Previous(); q.Start <= quarter.Start; q = q.Next())
            await SnapshotAsync(db, book, q, options, Periods.Utc(q.Start, zone), ct);

        var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
        if (FunnelRates.MainCurrency(facts, now) is not { } currency) return;
        // The target: last quarter's bookings plus 15 %, rounded to a round number, as a planner would set it.
        var (lastFrom, lastTo) = (Clock.Of(Periods.Utc(quarter.Previous().Start, zone)), Clock.Of(Periods.Utc(quarter.Start, zone)));
        long last = 0;
        for (var i = 0; i < facts.OppCount; i++)
            if (facts.OppOutcome[i] == Outcome.Won && facts.Currencies[facts.OppCurrency[i]] == currency && facts.OppClosed[i] >= lastFrom && facts.OppClosed[i] < lastTo)
                last += facts.OppAmount[i];
        var target = Math.Max(10_000_00, RoundNumber(last * 1.15));
        var (content, _) = Plans.Compute(facts, new PlanInputs(quarter.Label, currency, target, Buffer: 0.1, Split: "channel"), now, zone);
        if (content is null) return; // a tiny demo may not have the history a plan needs; the page then asks for one
        var marketing = co.Users.First(u => u.Role == Role.Marketing);
        var sales = co.Users.First(u => u.Role == Role.SalesManager);
        var plan = new RevenuePlan
        {
            Number = 1, Status = PlanStatus.Approved, Period = quarter.Label, Currency = currency, TargetMinor = target,
            Note = "Agreed at the quarterly revenue meeting.", Content = content.ToJson(), ContentHash = content.Hash(), CreatedBy = $"user:{marketing.Id}",
            CreatedAt = now.AddDays(-2), ApprovedAt = now.AddDays(-1), UpdatedAt = now.AddDays(-1), Version = 1,
        };
        db.RevenuePlans.Add(plan);
        await db.SaveChangesAsync(ct);
        db.PlanReviews.AddRange(
            new PlanReview { PlanId = plan.Id, UserId = marketing.Id, Side = ReviewSide.Marketing, Decision = ReviewDecision.Approve,
                ContentHash = plan.ContentHash, Comment = "The channel mix matches our programs.", At = now.AddDays(-2) },
            new PlanReview { PlanId = plan.Id, UserId = sales.Id, Side = ReviewSide.Sales, Decision = ReviewDecision.Approve,
                ContentHash = plan.ContentHash, Comment = "My team can close this with those SQLs.", At = now.AddDays(-1) });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Two significant figures, as a planner writes a target: 1,234,567 → 1,200,000.</summary>
    internal static long RoundNumber(double minor)
    {
        if (minor < 1) return 0;
        var step = Math.Pow(10, Math.Floor(Math.Log10(minor)) - 1);
        return (long)(Math.Round(minor / step) * step);
    }

    /// <summary>The validated deals as they stood at <paramref name="at"/>: open then, expected in the quarter, in a committed stage.</summary>
    private static async Task SnapshotAsync(TandemDb db, DealBook book, Period quarter, PlanOptions options, DateTime at, CancellationToken ct)
    {
        var zone = options.Zone();
        // Another instance's snapshot job may have been first (it waits for deals, but a load is not one transaction).
        if (await db.PipelineSnapshots.AnyAsync(s => s.Period == quarter.Label && s.Kind == SnapshotKind.Auto, ct)) return;
        var (from, to, t) = (Periods.Utc(quarter.Start, zone), Periods.Utc(quarter.End, zone), Clock.Of(at));
        var snapshot = new PipelineSnapshot { Period = quarter.Label, Kind = SnapshotKind.Auto, TakenAt = at, TakenBy = "system:snapshot" };
        db.PipelineSnapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        for (var i = 0; i < book.Count; i++)
        {
            if (!book.OpenAt(i, t) || book.ExpectedClose[i] == Clock.None) continue;
            var expected = Clock.ToDate(book.ExpectedClose[i]);
            var stage = book.StageName(book.StageAt(i, t));
            if (expected < from || expected >= to || (options.CommittedStages is { Length: > 0 } s && !s.Contains(stage))) continue;
            db.SnapshotDeals.Add(new SnapshotDeal
            {
                SnapshotId = snapshot.Id, OpportunityId = book.Id[i], OwnerId = book.Owner[i] == 0 ? null : book.Owner[i], Name = book.Name[i], Stage = stage,
                AmountMinor = book.Amount[i], Currency = book.Currency[i], ExpectedCloseAt = expected,
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
