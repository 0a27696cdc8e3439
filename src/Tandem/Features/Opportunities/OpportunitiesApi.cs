using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Properties;

namespace Tandem.Features.Opportunities;

public sealed record OpportunityDto(int Id, string? ExternalId, string Name, int? AccountId, int? PrimaryPersonId, int? OwnerId,
    long AmountMinor, string Currency, string SalesStage, DateTime? CreatedAt, DateTime? ExpectedCloseAt, Outcome Outcome,
    string? OutcomeReason, DateTime? ClosedAt, DateTime RecordedAt, DateTime UpdatedAt, int Version, IDictionary<string, string> Properties)
{
    public static OpportunityDto From(Opportunity o, IDictionary<string, string>? props = null) => new(o.Id, o.ExternalId, o.Name,
        o.AccountId, o.PrimaryPersonId, o.OwnerId, o.AmountMinor, o.Currency, o.SalesStage, o.CreatedAt, o.ExpectedCloseAt, o.Outcome,
        o.OutcomeReason, o.ClosedAt, o.RecordedAt, o.UpdatedAt, o.Version, props ?? new Dictionary<string, string>());
}

public sealed record OpportunityInput(string? Name, int? AccountId, int? PrimaryPersonId, int? OwnerId, long? AmountMinor,
    string? Currency, string? SalesStage, DateTime? CreatedAt, DateTime? ExpectedCloseAt, Outcome? Outcome, string? OutcomeReason,
    DateTime? ClosedAt, string? ExternalId, Dictionary<string, string>? Properties, int? Version);

public sealed record OpportunityStageDto(long Id, string? From, string To, Outcome Outcome, DateTime At, string Actor);

public static class OpportunitiesApi
{
    public static RouteGroupBuilder MapOpportunitiesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/opportunities").WithTags("Opportunities");
        g.MapGet("/", List).WithName("ListOpportunities").WithSummary("List and search opportunities.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}", Get).WithName("GetOpportunity").WithSummary("One opportunity with custom properties.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Create).WithName("CreateOpportunity").WithSummary("Create an opportunity.")
            .RequireAuthorization(Permissions.WriteLeads);
        g.MapPut("/{id:int}", Update).WithName("UpdateOpportunity")
            .WithSummary("Replace an opportunity's fields; a new sales stage or outcome is added to its history.")
            .RequireAuthorization(Permissions.WriteLeads);
        g.MapGet("/{id:int}/stages", Stages).WithName("ListOpportunityStages").WithSummary("The opportunity's stage history, oldest first.")
            .RequireAuthorization(Permissions.Read);
        return api;
    }

    private static async Task<Ok<Page<OpportunityDto>>> List(TandemDb db, string? q, Outcome? outcome, int? accountId, int? ownerId,
        int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.Opportunities.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(o => o.Name.ToLower().Contains(q.Trim().ToLowerInvariant()));
        if (outcome is not null) query = query.Where(o => o.Outcome == outcome);
        if (accountId is not null) query = query.Where(o => o.AccountId == accountId);
        if (ownerId is not null) query = query.Where(o => o.OwnerId == ownerId);
        return TypedResults.Ok(await query.OrderBy(o => o.Id).ToPageAsync(page, pageSize, o => OpportunityDto.From(o), ct));
    }

    private static async Task<Results<Ok<OpportunityDto>, ProblemHttpResult>> Get(TandemDb db, int id, CancellationToken ct)
    {
        var o = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return Problems.NotFound("Opportunity", id);
        return TypedResults.Ok(OpportunityDto.From(o, await Props.LoadAsync(db, SubjectKind.Opportunity, id, ct)));
    }

    private static async Task<Results<Created<OpportunityDto>, ValidationProblem, ProblemHttpResult>> Create(TandemDb db, HttpContext http,
        CompanyOptions company, OpportunityInput input, CancellationToken ct)
    {
        input = input with { OwnerId = OwnRecords.DefaultOwner(http, input.OwnerId) };
        if (await OwnRecords.RefuseUnlessMineAsync(http, input.OwnerId, "an opportunity for another owner") is { } refused) return refused;
        var errors = await ValidateAsync(db, input, null, ct);
        if (errors.Any) return errors.ToProblem();
        // The deal, its first stage row and its contacts' moves (SQL, Customer) in one transaction, run again on a PostgreSQL
        // deadlock or serialization failure (decision 0052).
        var o = await TransientRetry.InTransactionAsync(db, async token =>
        {
            var o = new Opportunity { Name = input.Name!.Trim(), SalesStage = input.SalesStage!.Trim(), Currency = company.Code };
            Apply(db, o, input);
            o.CreatedAt = input.CreatedAt ?? db.UtcNow;
            db.Opportunities.Add(o);
            await db.SaveChangesAsync(token);
            db.OpportunityStageChanges.Add(new OpportunityStageChange
                { OpportunityId = o.Id, From = null, To = o.SalesStage, Outcome = o.Outcome, At = db.UtcNow, Actor = db.Actor });
            await Props.ReplaceAsync(db, SubjectKind.Opportunity, o.Id, input.Properties, token);
            await Lifecycle.Transitions.AfterOpportunitiesAsync(db, [o], db.Actor, token);
            await db.SaveChangesAsync(token);
            return o;
        }, ct);
        return TypedResults.Created($"/api/opportunities/{o.Id}", OpportunityDto.From(o, input.Properties));
    }

    private static async Task<Results<Ok<OpportunityDto>, ValidationProblem, ProblemHttpResult>> Update(
        TandemDb db, HttpContext http, int id, OpportunityInput input, CancellationToken ct)
    {
        var o = await db.Opportunities.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return Problems.NotFound("Opportunity", id);
        if (await OwnRecords.RefuseUnlessMineAsync(http, o.OwnerId, $"Opportunity {id}") is { } refused) return refused;
        if (await OwnRecords.RefuseUnlessMineAsync(http, input.OwnerId, "handing the opportunity to another owner") is { } handedOff) return handedOff;
        var errors = await ValidateAsync(db, input, id, ct);
        if (input.Version is null) errors.Add("version", "'version' is required on update: send the version you last read.");
        if (errors.Any) return errors.ToProblem();
        db.Entry(o).Property(x => x.Version).OriginalValue = input.Version!.Value;
        var (oldStage, oldOutcome) = (o.SalesStage, o.Outcome);
        o.Name = input.Name!.Trim();
        o.SalesStage = input.SalesStage!.Trim();
        o.CreatedAt = input.CreatedAt ?? o.CreatedAt;
        Apply(db, o, input);
        if (oldStage != o.SalesStage || oldOutcome != o.Outcome)
            db.OpportunityStageChanges.Add(new OpportunityStageChange
                { OpportunityId = o.Id, From = oldStage, To = o.SalesStage, Outcome = o.Outcome, At = db.UtcNow, Actor = db.Actor });
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Props.ReplaceAsync(db, SubjectKind.Opportunity, id, input.Properties, ct);
        await Lifecycle.Transitions.AfterOpportunitiesAsync(db, [o], db.Actor, ct);
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Opportunity {id}", input.Version.Value);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(OpportunityDto.From(o, await Props.LoadAsync(db, SubjectKind.Opportunity, id, ct)));
    }

    private static async Task<Results<Ok<List<OpportunityStageDto>>, ProblemHttpResult>> Stages(TandemDb db, int id, CancellationToken ct)
    {
        if (!await db.Opportunities.AnyAsync(o => o.Id == id, ct)) return Problems.NotFound("Opportunity", id);
        var rows = await db.OpportunityStageChanges.AsNoTracking().Where(s => s.OpportunityId == id).OrderBy(s => s.At).ThenBy(s => s.Id)
            .Select(s => new OpportunityStageDto(s.Id, s.From, s.To, s.Outcome, s.At, s.Actor)).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<Errors> ValidateAsync(TandemDb db, OpportunityInput input, int? selfId, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name).Required("salesStage", input.SalesStage).Texts<Opportunity>(input);
        if (Money.AmountProblem(input.AmountMinor, "amountMinor") is { } amount) e.Add("amountMinor", amount);
        if (ModelLimits.EnumProblem(input.Outcome, "outcome") is { } outcomeProblem) e.Add("outcome", outcomeProblem);
        if (input.Currency is { } c && !Money.IsCurrency(c)) e.Add("currency", $"'{c}' is not a three-letter currency code.");
        if (input.AccountId is { } a && !await db.Accounts.AnyAsync(x => x.Id == a, ct)) e.Add("accountId", $"Account {a} does not exist.");
        if (input.PrimaryPersonId is { } p && !await db.People.AnyAsync(x => x.Id == p, ct))
            e.Add("primaryPersonId", $"Person {p} does not exist.");
        if (input.OwnerId is { } u && !await db.Users.AnyAsync(x => x.Id == u, ct)) e.Add("ownerId", $"User {u} does not exist.");
        if (input.Outcome is null or Outcome.Open && input.ClosedAt is not null) e.Add("closedAt", "An open opportunity has no 'closedAt'.");
        if (input.ClosedAt is { } closed && input.CreatedAt is { } created && closed < created) e.Add("closedAt", "'closedAt' is before 'createdAt'.");
        if (input.ExternalId is { } x && await db.Opportunities.AnyAsync(o => o.ExternalId == x && o.Id != selfId, ct))
            e.Add("externalId", $"Another opportunity already has externalId '{x}'.");
        Props.Validate(e, input.Properties);
        return e;
    }

    private static void Apply(TandemDb db, Opportunity o, OpportunityInput input)
    {
        o.AccountId = input.AccountId;
        o.PrimaryPersonId = input.PrimaryPersonId;
        o.OwnerId = input.OwnerId;
        o.AmountMinor = input.AmountMinor ?? 0;
        o.Currency = input.Currency?.ToUpperInvariant() ?? o.Currency;
        o.ExpectedCloseAt = input.ExpectedCloseAt;
        o.Outcome = input.Outcome ?? Outcome.Open;
        o.OutcomeReason = string.IsNullOrWhiteSpace(input.OutcomeReason) ? null : input.OutcomeReason.Trim();
        // Marking a deal closed without a date means "closed now", as CRMs do.
        o.ClosedAt = o.Outcome == Outcome.Open ? null : input.ClosedAt ?? o.ClosedAt ?? db.UtcNow;
        o.ExternalId = string.IsNullOrWhiteSpace(input.ExternalId) ? null : input.ExternalId.Trim();
    }
}
