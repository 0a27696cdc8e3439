using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.People;
using Tandem.Features.Properties;

namespace Tandem.Features.Accounts;

public sealed record AccountDto(int Id, string? ExternalId, string Name, string? Domain, string? Industry, int? EmployeeCount,
    long? AnnualRevenue, string Currency, string? Country, string? Region, int? OwnerId, AccountStatus Status,
    DateTime CreatedAt, DateTime UpdatedAt, int Version, IDictionary<string, string> Properties)
{
    public static AccountDto From(Account a, IDictionary<string, string>? props = null) => new(a.Id, a.ExternalId, a.Name, a.Domain,
        a.Industry, a.EmployeeCount, a.AnnualRevenue, a.Currency, a.Country, a.Region, a.OwnerId, a.Status, a.CreatedAt, a.UpdatedAt,
        a.Version, props ?? new Dictionary<string, string>());
}

public sealed record AccountInput(string? Name, string? Domain, string? Industry, int? EmployeeCount, long? AnnualRevenue,
    string? Currency, string? Country, string? Region, int? OwnerId, AccountStatus? Status, string? ExternalId,
    Dictionary<string, string>? Properties, int? Version);

public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/accounts").WithTags("Accounts");
        g.MapGet("/", List).WithName("ListAccounts").WithSummary("List and search accounts (q matches name and domain).")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}", Get).WithName("GetAccount").WithSummary("One account with custom properties.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Create).WithName("CreateAccount").WithSummary("Create an account.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPut("/{id:int}", Update).WithName("UpdateAccount").WithSummary("Replace an account's fields; send the version you read.")
            .RequireAuthorization(Permissions.WriteSetup);
        return api;
    }

    private static async Task<Ok<Page<AccountDto>>> List(TandemDb db, string? q, int? ownerId, int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.Accounts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            query = query.Where(a => a.Name.ToLower().Contains(term) || (a.Domain != null && a.Domain.Contains(term)));
        }
        if (ownerId is not null) query = query.Where(a => a.OwnerId == ownerId);
        return TypedResults.Ok(await query.OrderBy(a => a.Id).ToPageAsync(page, pageSize, a => AccountDto.From(a), ct));
    }

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> Get(TandemDb db, int id, CancellationToken ct)
    {
        var a = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return Problems.NotFound("Account", id);
        return TypedResults.Ok(AccountDto.From(a, await Props.LoadAsync(db, SubjectKind.Account, id, ct)));
    }

    private static async Task<Results<Created<AccountDto>, ValidationProblem>> Create(TandemDb db, AccountInput input, CancellationToken ct)
    {
        var errors = await ValidateAsync(db, input, null, ct);
        if (errors.Any) return errors.ToProblem();
        var account = new Account { Name = input.Name!.Trim() };
        Apply(account, input);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        await Props.ReplaceAsync(db, SubjectKind.Account, account.Id, input.Properties, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/accounts/{account.Id}", AccountDto.From(account, input.Properties));
    }

    private static async Task<Results<Ok<AccountDto>, ValidationProblem, ProblemHttpResult>> Update(
        TandemDb db, int id, AccountInput input, CancellationToken ct)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (account is null) return Problems.NotFound("Account", id);
        var errors = await ValidateAsync(db, input, id, ct);
        if (input.Version is null) errors.Add("version", "'version' is required on update: send the version you last read.");
        if (errors.Any) return errors.ToProblem();
        db.Entry(account).Property(x => x.Version).OriginalValue = input.Version!.Value;
        account.Name = input.Name!.Trim();
        Apply(account, input);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Props.ReplaceAsync(db, SubjectKind.Account, id, input.Properties, ct);
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Account {id}", input.Version.Value);
        // Industry, size or status feed the fit grade of everyone at the account.
        await Lifecycle.Transitions.AfterFitChangeAsync(db, await db.People.Where(p => p.AccountId == id).Select(p => p.Id).ToListAsync(ct), ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(AccountDto.From(account, await Props.LoadAsync(db, SubjectKind.Account, id, ct)));
    }

    private static async Task<Errors> ValidateAsync(TandemDb db, AccountInput input, int? selfId, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name).Texts<Account>(input);
        if (input.EmployeeCount is < 0) e.Add("employeeCount", "'employeeCount' cannot be negative.");
        if (input.AnnualRevenue is < 0) e.Add("annualRevenue", "'annualRevenue' cannot be negative.");
        if (input.Currency is { } c && !Money.IsCurrency(c)) e.Add("currency", $"'{c}' is not a three-letter currency code.");
        if (input.OwnerId is { } o && !await db.Users.AnyAsync(x => x.Id == o, ct)) e.Add("ownerId", $"User {o} does not exist.");
        if (input.ExternalId is { } x && await db.Accounts.AnyAsync(a => a.ExternalId == x && a.Id != selfId, ct))
            e.Add("externalId", $"Another account already has externalId '{x}'.");
        Props.Validate(e, input.Properties);
        return e;
    }

    private static void Apply(Account a, AccountInput input)
    {
        a.Domain = AccountMatch.NormalizeDomain(input.Domain);
        a.Industry = PersonValidation.Clean(input.Industry);
        a.EmployeeCount = input.EmployeeCount;
        a.AnnualRevenue = input.AnnualRevenue;
        a.Currency = input.Currency?.ToUpperInvariant() ?? a.Currency;
        a.Country = PersonValidation.Clean(input.Country);
        a.Region = PersonValidation.Clean(input.Region);
        a.OwnerId = input.OwnerId;
        a.Status = input.Status ?? AccountStatus.Active;
        a.ExternalId = PersonValidation.Clean(input.ExternalId);
    }
}
