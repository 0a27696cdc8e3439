using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Accounts;

namespace Tandem.Features.Import;

/// <summary>Accounts update by externalId, else by exact name.</summary>
internal sealed class AccountImporter(ImportContext ctx) : EntityImporter(ctx)
{
    public override Type Stored => typeof(Accounts.Account);

    public override IReadOnlyList<FieldDef> Fields { get; } =
    [
        new("externalId"), new("name", Required: true), new("domain"), new("industry"), new("employeeCount"),
        new("annualRevenue"), new("currency"), new("country"), new("region"), new("owner"), new("status"),
    ];

    public override async Task ImportBatchAsync(IReadOnlyList<RowValues> rows, CancellationToken ct)
    {
        await Ctx.Users.PrefetchAsync(rows.Select(r => r.Text("owner")), ct);
        var index = new KeyIndex<Account>(a => a.ExternalId, a => a.Name).AddRange(await ImportContext.ExistingAsync(Db.Accounts.OrderBy(a => a.Id),
            a => a.ExternalId, rows.Select(r => r.Text("externalId")), a => a.Name, rows.Select(r => r.Text("name")), ct));

        var written = new List<(Account Entity, Dictionary<string, string?> Props)>();
        foreach (var r in rows)
        {
            var (extId, name) = (r.Text("externalId"), r.Text("name", required: true));
            Ctx.Once(r, extId);
            var domain = AccountMatch.NormalizeDomain(r.Text("domain"));
            var (industry, employees, revenue) = (r.Text("industry"), r.Int("employeeCount"), r.Whole("annualRevenue"));
            var (currency, country, region) = (r.Currency("currency"), r.Text("country"), r.Text("region"));
            var (owner, status, props) = (r.Ref("owner", Ctx.Users), r.Enum<AccountStatus>("status"), r.Properties());
            if (!r.Ok) continue;

            var found = index.Find(extId, name);
            var a = found ?? index.Add(Db.Accounts.Add(new Account { Name = name!, ExternalId = extId }).Entity);
            // Only fields the file has are written, so a file with fewer columns does not blank the others.
            a.Name = name!;
            a.ExternalId = extId ?? a.ExternalId;
            if (r.Has("domain")) a.Domain = domain;
            if (r.Has("industry")) a.Industry = industry;
            if (r.Has("employeeCount")) a.EmployeeCount = employees;
            if (r.Has("annualRevenue")) a.AnnualRevenue = revenue;
            if (found is null || r.Has("currency")) a.Currency = Ctx.CurrencyOr(currency);
            if (r.Has("country")) a.Country = country;
            if (r.Has("region")) a.Region = region;
            if (r.Has("owner")) a.OwnerId = owner;
            if (r.Has("status")) a.Status = status ?? AccountStatus.Active;
            index.Add(a);
            written.Add((a, props));
        }
        await Ctx.SaveAsync(written.Select(w => w.Entity), ct);
        await Ctx.WritePropertiesAsync(SubjectKind.Account, written.Select(w => (w.Entity.Id, w.Props)).ToList(), ct);
    }
}
