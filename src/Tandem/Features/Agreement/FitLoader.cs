using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Agreement;

/// <summary>Loads what fit and exclusions need for a set of people, with custom properties only when a rule names one.</summary>
public static class FitLoader
{
    public static async Task<Dictionary<int, FitSubject>> LoadAsync(TandemDb db, DefinitionContent d, IReadOnlyCollection<int> personIds,
        CancellationToken ct)
    {
        var rows = await (from p in db.People.AsNoTracking()
                          where personIds.Contains(p.Id)
                          from a in db.Accounts.Where(a => a.Id == p.AccountId).DefaultIfEmpty()
                          select new { p.Id, p.Email, p.Title, p.SourceChannel, p.AccountId, a.Industry, EmployeeCount = (int?)a.EmployeeCount,
                              AnnualRevenue = (long?)a.AnnualRevenue, a.Country, a.Region, Status = (Accounts.AccountStatus?)a.Status }).ToListAsync(ct);
        var personProps = NeedsProps(d, FitFields.PersonProp) ? await Properties.Props.LoadManyAsync(db, SubjectKind.Person, personIds, ct) : null;
        var accountIds = rows.Where(r => r.AccountId is not null).Select(r => r.AccountId!.Value).Distinct().ToList();
        var accountProps = NeedsProps(d, FitFields.AccountProp) ? await Properties.Props.LoadManyAsync(db, SubjectKind.Account, accountIds, ct) : null;
        return rows.ToDictionary(r => r.Id, r => new FitSubject(r.Email, r.Title, r.SourceChannel, r.Industry, r.EmployeeCount, r.AnnualRevenue,
            r.Country, r.Region, r.Status?.ToString(), personProps?.GetValueOrDefault(r.Id),
            r.AccountId is { } aid ? accountProps?.GetValueOrDefault(aid) : null));
    }

    public static bool NeedsProps(DefinitionContent d, string prefix) => d.Fit.Rules.Any(r => r.Field.StartsWith(prefix, StringComparison.Ordinal));
}
