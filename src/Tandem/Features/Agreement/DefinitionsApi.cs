using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Agreement;

public static class DefinitionsApi
{
    public static RouteGroupBuilder MapDefinitionsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/definitions").WithTags("Lead definition");
        g.MapGet("/", List).WithName("ListDefinitions").WithSummary("Every version of the lead definition, newest first.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/active", Active).WithName("GetActiveDefinition").WithSummary("The version in force.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{number:int}", Get).WithName("GetDefinition").WithSummary("One version: content, plain language, approvals and reviews.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{number:int}/diff/{other:int}", Diff).WithName("DiffDefinitions").WithSummary("What changes from version number to version other.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Draft).WithName("CreateDefinitionDraft").WithSummary("Start a draft, from given content or a copy of a version (default: the active one).")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPut("/{number:int}", Update).WithName("UpdateDefinitionDraft").WithSummary("Edit a draft; active and retired versions never change.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPost("/{number:int}/reviews", Review).WithName("ReviewDefinition")
            .WithSummary("Approve, reject or comment on a draft. Marketing and sales approval of the same content hash activates it.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapGet("/{number:int}/whatif", WhatIf).WithName("WhatIfDefinition")
            .WithSummary("Replay the last months under this version and under the active one: MQLs per week, overlap and real outcomes.")
            .RequireAuthorization(Permissions.Read);
        api.MapGet("/people/{id:int}/score", Score).WithTags("People").WithName("GetPersonScore")
            .WithSummary("A person's fit grade and engagement score, rule by rule and touch by touch, under the active version or ?definition=N.")
            .RequireAuthorization(Permissions.Read);
        return api;
    }

    private static async Task<Results<Ok<PersonScoreDto>, ProblemHttpResult>> Score(TandemDb db, int id, int? definition, CancellationToken ct)
    {
        var d = definition is { } n
            ? await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(x => x.Number == n, ct)
            : await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(x => x.Status == DefinitionStatus.Active, ct);
        if (d is null)
            return definition is null
                ? TypedResults.Problem(title: "Not found", detail: "No lead definition is active, so nobody is scored yet.", statusCode: 404)
                : Problems.NotFound("Definition version", definition);
        var dto = await ScoreExplanation.ForPersonAsync(db, id, d, ct);
        return dto is null ? Problems.NotFound("Person", id) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<WhatIfResult>, ValidationProblem, ProblemHttpResult>> WhatIf(TandemDb db, WhatIfService whatIf, int number,
        int? months, CancellationToken ct)
    {
        if (months is < 1 or > 60) return Errors.Single("months", $"months must be between 1 and 60; it is {months}.");
        if (!await db.LeadDefinitions.AnyAsync(d => d.Number == number, ct)) return Problems.NotFound("Definition version", number);
        var result = await whatIf.RunAsync(db, number, months ?? WhatIfService.DefaultMonths, ct);
        return result is null
            ? TypedResults.Problem(title: "Nothing to compare with", detail: "No lead definition is active; a what-if compares a version with the active one.", statusCode: 409)
            : TypedResults.Ok(result);
    }

    private static async Task<Ok<List<DefinitionSummaryDto>>> List(TandemDb db, CancellationToken ct)
    {
        var rows = await db.LeadDefinitions.AsNoTracking().OrderByDescending(d => d.Number).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(d => new DefinitionSummaryDto(d.Number, d.Status, d.Note, d.ContentHash,
            PlainLanguage.Summary(d.Parsed()), d.CreatedBy, d.CreatedAt, d.ActivatedAt, d.RetiredAt)).ToList());
    }

    private static async Task<Results<Ok<DefinitionDto>, ProblemHttpResult>> Active(TandemDb db, CancellationToken ct)
    {
        var d = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(x => x.Status == DefinitionStatus.Active, ct);
        return d is null
            ? TypedResults.Problem(title: "Not found", detail: "No lead definition is active yet. Create a draft and have it approved.", statusCode: 404)
            : TypedResults.Ok(await DtoAsync(db, d, ct));
    }

    private static async Task<Results<Ok<DefinitionDto>, ProblemHttpResult>> Get(TandemDb db, int number, CancellationToken ct)
    {
        var d = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct);
        return d is null ? Problems.NotFound("Definition version", number) : TypedResults.Ok(await DtoAsync(db, d, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<DiffLine>>, ProblemHttpResult>> Diff(TandemDb db, int number, int other, CancellationToken ct)
    {
        var a = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct);
        var b = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(x => x.Number == other, ct);
        if (a is null) return Problems.NotFound("Definition version", number);
        if (b is null) return Problems.NotFound("Definition version", other);
        return TypedResults.Ok(DefinitionDiff.Compare(a.Parsed(), b.Parsed()));
    }

    private static async Task<Results<Created<DefinitionDto>, ValidationProblem, ProblemHttpResult>> Draft(TandemDb db, DraftInput input, CancellationToken ct)
    {
        var basedOn = input.BasedOn is { } n
            ? await db.LeadDefinitions.FirstOrDefaultAsync(x => x.Number == n, ct)
            : await db.LeadDefinitions.FirstOrDefaultAsync(x => x.Status == DefinitionStatus.Active, ct);
        if (input.BasedOn is not null && basedOn is null) return Errors.Single("basedOn", $"Definition version {input.BasedOn} does not exist.");
        var content = input.Content ?? basedOn?.Parsed();
        if (content is null) return Errors.Single("content", "No version is active to copy from; send the content of the first draft.");
        if (DefinitionValidation.Validate(content) is { Any: true } errors) return errors.ToProblem();
        var d = await Definitions.CreateDraftAsync(db, content, input.Note, basedOn, ct);
        return TypedResults.Created($"/api/definitions/{d.Number}", await DtoAsync(db, d, ct));
    }

    private static async Task<Results<Ok<DefinitionDto>, ValidationProblem, ProblemHttpResult>> Update(TandemDb db, int number, DraftUpdate input,
        CancellationToken ct)
    {
        var d = await Definitions.FindAsync(db, number, ct);
        if (d is null) return Problems.NotFound("Definition version", number);
        if (d.Status != DefinitionStatus.Draft)
            return Problems.Conflict($"v{d.Number} is {d.Status.ToString().ToLowerInvariant()} and never changes. Create a draft from it (POST /api/definitions with basedOn {d.Number}).");
        var errors = DefinitionValidation.Validate(input.Content);
        if (input.Version is null) errors.Add("version", "'version' is required: send the version you read.");
        if (errors.Any) return errors.ToProblem();
        if (input.Version != d.Version) return Problems.StaleVersion($"Definition v{d.Number}", input.Version!.Value);
        Definitions.Edit(d, input.Content!, input.Note);
        db.Entry(d).Property(x => x.Version).OriginalValue = input.Version!.Value;
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Definition v{d.Number}", input.Version!.Value);
        return TypedResults.Ok(await DtoAsync(db, d, ct));
    }

    private static async Task<Results<Ok<ReviewResult>, ValidationProblem, ProblemHttpResult>> Review(TandemDb db, int number, ReviewInput input,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (input.Decision is null) return Errors.Single("decision", "'decision' is required: Approve, Reject or Comment.");
        if (input.Decision == ReviewDecision.Comment && string.IsNullOrWhiteSpace(input.Comment)) return Errors.Single("comment", "A comment needs text.");
        var d = await Definitions.FindAsync(db, number, ct);
        if (d is null) return Problems.NotFound("Definition version", number);
        var reviews = await db.DefinitionReviews.AsNoTracking().Where(r => r.DefinitionId == d.Id).ToListAsync(ct);
        if (Approvals.Check(d, input.ContentHash, user.UserId(), user.Role(), input.Decision.Value, reviews) is { } refusal)
            return refusal.Status == 400 ? Errors.Single("contentHash", refusal.Message)
                : TypedResults.Problem(title: refusal.Status == 403 ? "Not allowed" : "Conflict", detail: refusal.Message, statusCode: refusal.Status);
        bool activated;
        try
        {
            activated = await Definitions.ReviewAsync(db, d, user.UserId()!.Value, user.Role(), input.Decision.Value, input.Comment, ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict($"Another version was activated at the same moment as v{d.Number}. Reload and review again.");
        }
        catch (ReviewRaceException e)
        {
            return Problems.Conflict(e.Message);
        }
        var state = Approvals.State(d.ContentHash, await db.DefinitionReviews.AsNoTracking().Where(r => r.DefinitionId == d.Id).ToListAsync(ct));
        return TypedResults.Ok(new ReviewResult(d.Number, d.Status, state.MarketingUserId is not null, state.SalesUserId is not null, activated));
    }

    internal static async Task<DefinitionDto> DtoAsync(TandemDb db, LeadDefinition d, CancellationToken ct)
    {
        var reviews = await db.DefinitionReviews.AsNoTracking().Where(r => r.DefinitionId == d.Id).OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(ct);
        var userIds = reviews.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var basedOn = d.BasedOnId is { } b ? await db.LeadDefinitions.AsNoTracking().Where(x => x.Id == b).Select(x => (int?)x.Number).FirstOrDefaultAsync(ct) : null;
        var state = Approvals.State(d.ContentHash, reviews);
        var content = d.Parsed();
        return new DefinitionDto(d.Number, d.Status, d.Note, d.ContentHash, PlainLanguage.Summary(content), content, basedOn, d.CreatedBy, d.CreatedAt,
            d.ActivatedAt, d.RetiredAt, d.Version, state.MarketingUserId is not null, state.SalesUserId is not null,
            [.. reviews.Select(r => new ReviewDto(r.UserId, names.GetValueOrDefault(r.UserId), r.Side, r.Decision, r.ContentHash, r.ContentHash == d.ContentHash, r.Comment, r.At))]);
    }
}
