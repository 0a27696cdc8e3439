using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Funnel;
using Tandem.Features.People;

namespace Tandem.Components.People;

/// <summary>What the People page asks for. With <see cref="Entered"/>, <see cref="Stage"/> means "entered that stage in
/// the quarter" (the funnel page's drill-down) rather than "is at that stage now".</summary>
/// <param name="Owner">A user id, or <see cref="Unowned"/> for people nobody owns; null for everyone.</param>
/// <param name="Sort">One of <see cref="Sorts"/>; anything else is the default (the order people were added).</param>
public sealed record PeopleFilter(string? Q, LifecycleStage? Stage, Quarter? Entered, int Page, int PageSize, int? Owner = null, string? Sort = null)
{
    public const int DefaultPageSize = 25;
    public const int Unowned = 0;

    /// <summary>The orders the list offers, with their labels.</summary>
    public static readonly (string Key, string Label)[] Sorts =
        [("added", "Order added"), ("score", "Score, highest first"), ("name", "Name, A to Z"), ("stage-changed", "Stage changed, latest first")];
}

/// <summary>A row of the People list. Score and grade are those stored under the active lead definition at the person's
/// last scoring (what the Account page and routing read); the person page shows the score decayed to this moment.</summary>
public sealed record PersonRow(int Id, string Name, string? Email, string? Title, string? Account, LifecycleStage Stage, string? Owner,
    double? Score = null, Features.Agreement.Grade? Grade = null);

public static class PeopleList
{
    /// <summary>Who the owner filter offers: every user who owns someone, by name.</summary>
    public static Task<List<(int Id, string Name)>> OwnersAsync(TandemDb db, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => db.People.Any(p => p.OwnerId == u.Id)).OrderBy(u => u.Name)
            .Select(u => new ValueTuple<int, string>(u.Id, u.Name)).ToListAsync(ct);

    public static async Task<Page<PersonRow>> LoadAsync(TandemDb db, PeopleFilter f, CancellationToken ct)
    {
        var query = db.People.AsNoTracking().Matching(f.Q);
        if (f.Stage is { } stage)
            query = f.Entered is { } quarter ? FunnelOverview.WhoEntered(db, query, stage, quarter) : query.Where(p => p.Stage == stage);

        if (f.Owner is { } owner) query = owner == PeopleFilter.Unowned ? query.Where(p => p.OwnerId == null) : query.Where(p => p.OwnerId == owner);

        var active = await db.LeadDefinitions.AsNoTracking().Where(d => d.Status == Features.Agreement.DefinitionStatus.Active)
            .Select(d => (int?)d.Id).FirstOrDefaultAsync(ct);
        var scores = db.LeadScores.Where(s => s.DefinitionId == active);
        query = f.Sort switch
        {
            // People never scored sort last: a missing score is not a zero.
            "score" => query.OrderByDescending(p => scores.Where(s => s.PersonId == p.Id).Select(s => (double?)s.Score).FirstOrDefault() ?? double.MinValue)
                .ThenBy(p => p.Id),
            "name" => query.OrderBy(p => p.LastName ?? p.FirstName ?? p.Email).ThenBy(p => p.FirstName).ThenBy(p => p.Id),
            "stage-changed" => query.OrderByDescending(p => p.StageChangedAt).ThenBy(p => p.Id),
            _ => query.OrderBy(p => p.Id),
        };
        var page = await query.ToPageAsync(f.Page, f.PageSize, p => p, ct);

        // Names for this page only: two small lookups instead of joins that would widen every row of the count query.
        var accountIds = page.Items.Where(p => p.AccountId != null).Select(p => p.AccountId!.Value).Distinct().ToList();
        var ownerIds = page.Items.Where(p => p.OwnerId != null).Select(p => p.OwnerId!.Value).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var personIds = page.Items.Select(p => p.Id).ToList();
        var scored = await scores.AsNoTracking().Where(s => personIds.Contains(s.PersonId)).ToDictionaryAsync(s => s.PersonId, ct);

        var rows = page.Items.Select(p => new PersonRow(p.Id, p.DisplayName, p.Email, p.Title,
            p.AccountId is { } a ? accounts.GetValueOrDefault(a) : null, p.Stage,
            p.OwnerId is { } o ? owners.GetValueOrDefault(o) : null,
            scored.GetValueOrDefault(p.Id)?.Score, scored.GetValueOrDefault(p.Id)?.Grade)).ToList();
        return new Page<PersonRow>(rows, page.PageNumber, page.PageSize, page.Total);
    }
}
