using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;
using Tandem.Features.Properties;

namespace Tandem.Components.People;

/// <summary>Everything the person page shows, with referenced records resolved to names.</summary>
public sealed record PersonDetails(Person Person, string? Account, string? AccountDomain, string? Campaign, string? Owner,
    IReadOnlyDictionary<string, string> Properties, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>Null when there is no such person.</summary>
    public static async Task<PersonDetails?> LoadAsync(TandemDb db, int id, CancellationToken ct)
    {
        var p = await db.People.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return null;
        var account = p.AccountId is { } a
            ? await db.Accounts.AsNoTracking().Where(x => x.Id == a).Select(x => new { x.Name, x.Domain }).FirstOrDefaultAsync(ct)
            : null;
        var campaign = p.SourceCampaignId is { } c
            ? await db.Campaigns.AsNoTracking().Where(x => x.Id == c).Select(x => x.Name).FirstOrDefaultAsync(ct)
            : null;
        var owner = p.OwnerId is { } o
            ? await db.Users.AsNoTracking().Where(x => x.Id == o).Select(x => x.Name).FirstOrDefaultAsync(ct)
            : null;
        var props = await Props.LoadAsync(db, SubjectKind.Person, id, ct);
        var timeline = await TimelineEntries.ForPersonAsync(db, id, ct);
        return new PersonDetails(p, account?.Name, account?.Domain, campaign, owner, props, timeline);
    }
}
