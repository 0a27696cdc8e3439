using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Funnel;
using Tandem.Features.People;

namespace Tandem.Components.People;

/// <summary>What the People page asks for. With <see cref="Entered"/>, <see cref="Stage"/> means "entered that stage in
/// the quarter" (the funnel page's drill-down) rather than "is at that stage now".</summary>
public sealed record PeopleFilter(string? Q, LifecycleStage? Stage, Quarter? Entered, int Page, int PageSize)
{
    public const int DefaultPageSize = 25;
}

public sealed record PersonRow(int Id, string Name, string Email, string? Title, string? Account, LifecycleStage Stage, string? Owner);

public static class PeopleList
{
    public static async Task<Page<PersonRow>> LoadAsync(TandemDb db, PeopleFilter f, CancellationToken ct)
    {
        var query = db.People.AsNoTracking().Matching(f.Q);
        if (f.Stage is { } stage)
            query = f.Entered is { } quarter ? FunnelOverview.WhoEntered(db, query, stage, quarter) : query.Where(p => p.Stage == stage);

        var page = await query.OrderBy(p => p.Id).ToPageAsync(f.Page, f.PageSize, p => p, ct);

        // Names for this page only: two small lookups instead of joins that would widen every row of the count query.
        var accountIds = page.Items.Where(p => p.AccountId != null).Select(p => p.AccountId!.Value).Distinct().ToList();
        var ownerIds = page.Items.Where(p => p.OwnerId != null).Select(p => p.OwnerId!.Value).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);

        var rows = page.Items.Select(p => new PersonRow(p.Id, p.DisplayName, p.Email, p.Title,
            p.AccountId is { } a ? accounts.GetValueOrDefault(a) : null, p.Stage,
            p.OwnerId is { } o ? owners.GetValueOrDefault(o) : null)).ToList();
        return new Page<PersonRow>(rows, page.PageNumber, page.PageSize, page.Total);
    }
}
