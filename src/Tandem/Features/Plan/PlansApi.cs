using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>/api/plans: the revenue plan's versions, reviews, diff and pacing (docs/guide/plan.md).</summary>
public static class PlansApi
{
    public static RouteGroupBuilder MapPlansApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/plans").WithTags("Plan");
        g.MapGet("/", List).WithName("ListPlans").WithSummary("Every plan version, newest first.").RequireAuthorization(Permissions.Read);
        g.MapGet("/{number:int}", Get).WithName("GetPlan").WithSummary("One plan version: inputs, the rates used with their samples, weekly targets, approvals.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{number:int}/diff/{other:int}", Diff).WithName("DiffPlans").WithSummary("What changes from plan number to plan other.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Draft).WithName("CreatePlanDraft")
            .WithSummary("Draft a plan: the target run backwards through the company's own rates and lags into weekly targets per stage and channel.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPut("/{number:int}", Update).WithName("UpdatePlanDraft").WithSummary("Edit a draft (rates are measured again); approved plans never change.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPost("/{number:int}/reviews", Review).WithName("ReviewPlan")
            .WithSummary("Approve, reject or comment on a plan draft. Marketing and sales approval of the same content hash makes it the plan of record.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapGet("/{number:int}/pacing", Pace).WithName("GetPlanPacing")
            .WithSummary("Plan against actual per week, stage and channel: to date, ahead or behind, and what is needed per remaining week.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{number:int}/pacing/records", Records).WithName("GetPlanPacingRecords")
            .WithSummary("The people or won deals behind one pacing number (line, stage, optional week).")
            .RequireAuthorization(Permissions.Read);
        return api;
    }

    private static async Task<Ok<List<PlanSummaryDto>>> List(TandemDb db, CancellationToken ct)
    {
        var rows = await db.RevenuePlans.AsNoTracking().OrderByDescending(p => p.Number).ToListAsync(ct);
        var numbers = rows.ToDictionary(p => p.Id, p => p.Number);
        return TypedResults.Ok(rows.Select(p => new PlanSummaryDto(p.Number, p.Status, p.Period, p.Currency, Money.ToMajor(p.TargetMinor),
            PlanText.Summary(p.Parsed()), p.Note, p.ContentHash, p.BasedOnId is { } b ? numbers.GetValueOrDefault(b) : null, p.CreatedBy, p.CreatedAt,
            p.ApprovedAt, p.SupersededAt)).ToList());
    }

    private static async Task<Results<Ok<PlanDto>, ProblemHttpResult>> Get(TandemDb db, int number, CancellationToken ct)
    {
        var p = await db.RevenuePlans.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct);
        return p is null ? Problems.NotFound("Plan", number) : TypedResults.Ok(await DtoAsync(db, p, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<DiffLine>>, ProblemHttpResult>> Diff(TandemDb db, int number, int other, CancellationToken ct)
    {
        var a = await db.RevenuePlans.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct);
        var b = await db.RevenuePlans.AsNoTracking().FirstOrDefaultAsync(x => x.Number == other, ct);
        if (a is null) return Problems.NotFound("Plan", number);
        if (b is null) return Problems.NotFound("Plan", other);
        return TypedResults.Ok(PlanDiff.Compare(a.Parsed(), b.Parsed()));
    }

    private static async Task<Results<Created<PlanDto>, ValidationProblem, ProblemHttpResult>> Draft(TandemDb db, InsightStore store,
        IOptions<PlanOptions> options, PlanDraftInput input, CancellationToken ct)
    {
        RevenuePlan? basedOn = null;
        if (input.BasedOn is { } n && (basedOn = await Plans.FindAsync(db, n, ct)) is null) return Errors.Single("basedOn", $"Plan #{n} does not exist.");
        var (content, invalid, conflict) = await ComputeAsync(db, store, options.Value, input, basedOn, ct);
        if (invalid is not null) return invalid;
        if (conflict is not null) return conflict;
        var p = await Plans.CreateDraftAsync(db, content!, input.Note, basedOn, ct);
        return TypedResults.Created($"/api/plans/{p.Number}", await DtoAsync(db, p, ct));
    }

    private static async Task<Results<Ok<PlanDto>, ValidationProblem, ProblemHttpResult>> Update(TandemDb db, InsightStore store,
        IOptions<PlanOptions> options, int number, PlanDraftInput input, CancellationToken ct)
    {
        var p = await Plans.FindAsync(db, number, ct);
        if (p is null) return Problems.NotFound("Plan", number);
        if (p.Status != PlanStatus.Draft)
            return Problems.Conflict($"{p.Name} is {p.Status.ToString().ToLowerInvariant()} and never changes. Draft from it (POST /api/plans with basedOn {p.Number}).");
        if (input.Version is null) return Errors.Single("version", "'version' is required: send the version you read.");
        var basedOn = p.BasedOnId is { } b ? await db.RevenuePlans.AsNoTracking().FirstOrDefaultAsync(x => x.Id == b, ct) : null;
        var (content, invalid, conflict) = await ComputeAsync(db, store, options.Value, input, basedOn, ct);
        if (invalid is not null) return invalid;
        if (conflict is not null) return conflict;
        if (input.Version != p.Version) return Problems.StaleVersion(p.Name, input.Version.Value);
        Plans.Edit(p, content!, input.Note);
        db.Entry(p).Property(x => x.Version).OriginalValue = input.Version.Value;
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion(p.Name, input.Version.Value);
        return TypedResults.Ok(await DtoAsync(db, p, ct));
    }

    /// <summary>Checks the input, measures history and walks the funnel; a refusal is a ValidationProblem naming the field, or a 409
    /// naming the approved plan the period overlaps.</summary>
    private static async Task<(PlanContent? Content, ValidationProblem? Invalid, ProblemHttpResult? Conflict)> ComputeAsync(TandemDb db, InsightStore store, PlanOptions options,
        PlanDraftInput input, RevenuePlan? basedOn, CancellationToken ct)
    {
        var old = basedOn?.Parsed().Inputs;
        var errors = new Errors();
        if (input.Target is null && old is null) errors.Add("target", "'target' is required: the revenue to plan for, in major units.");
        if (input.Target is { } t && (t <= 0 || t > Money.ToMajor(Money.MaxMinor)))
            errors.Add("target", t <= 0 ? "The target must be more than zero." : "The target is larger than Tandem stores.");
        if (errors.Any) return (null, errors.ToProblem(), null);
        var facts = await store.GetAsync(db, ct);
        var currency = (input.Currency ?? old?.Currency ?? FunnelRates.MainCurrency(facts, db.UtcNow))?.Trim().ToUpperInvariant();
        if (currency is null) return (null, Errors.Single("currency", "No deal was ever won, so Tandem cannot guess the currency: send 'currency'."), null);
        var zone = options.Zone();
        var inputs = input.Resolve(old, currency, Period.Quarter(Periods.Today(db.UtcNow, zone)).Label);
        var (content, problems) = Plans.Compute(facts, inputs, db.UtcNow, zone);
        if (content is null)
        {
            foreach (var (field, message) in problems) errors.Add(field, message);
            return (null, errors.ToProblem(), null);
        }
        if (await Plans.ConflictAsync(db, Period.Parse(content.Inputs.Period)!, currency, basedOn?.Id, ct) is { } approved)
            return (null, null, TypedResults.Problem(title: "Conflict", detail: PlanConflictException.Describe(approved, null), statusCode: 409,
                extensions: new Dictionary<string, object?> { ["conflictingPlan"] = approved.Number }));
        return (content, null, null);
    }

    private static async Task<Results<Ok<PlanReviewResult>, ValidationProblem, ProblemHttpResult>> Review(TandemDb db, int number, ReviewInput input,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (input.Decision is null) return Errors.Single("decision", "'decision' is required: Approve, Reject or Comment.");
        if (input.Decision == ReviewDecision.Comment && string.IsNullOrWhiteSpace(input.Comment)) return Errors.Single("comment", "A comment needs text.");
        var p = await Plans.FindAsync(db, number, ct);
        if (p is null) return Problems.NotFound("Plan", number);
        var reviews = await db.PlanReviews.AsNoTracking().Where(r => r.PlanId == p.Id).ToListAsync(ct);
        if (Approvals.Check(p.Status == PlanStatus.Draft, p.Name, p.Status.ToString().ToLowerInvariant(), "a revenue plan", p.ContentHash,
                input.ContentHash, user.UserId(), user.Role(), input.Decision.Value, reviews) is { } refusal)
            return refusal.Status == 400 ? Errors.Single("contentHash", refusal.Message)
                : TypedResults.Problem(title: refusal.Status == 403 ? "Not allowed" : "Conflict", detail: refusal.Message, statusCode: refusal.Status);
        bool approved;
        try
        {
            approved = await Plans.ReviewAsync(db, p, user.UserId()!.Value, user.Role(), input.Decision.Value, input.Comment, ct);
        }
        catch (Exception e) when (e is ReviewRaceException or PlanConflictException) { return Problems.Conflict(e.Message); }
        catch (DbUpdateException) { return Problems.Conflict($"Another plan for {p.Period} was approved at the same moment as {p.Name}. Reload and review again."); }
        var state = Approvals.State(p.ContentHash, await db.PlanReviews.AsNoTracking().Where(r => r.PlanId == p.Id).ToListAsync(ct));
        return TypedResults.Ok(new PlanReviewResult(p.Number, p.Status, state.MarketingUserId is not null, state.SalesUserId is not null, approved));
    }

    private static async Task<Results<Ok<PacingReport>, ProblemHttpResult>> Pace(TandemDb db, InsightStore store, IOptions<PlanOptions> options,
        int number, CancellationToken ct)
    {
        var p = await db.RevenuePlans.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct);
        if (p is null) return Problems.NotFound("Plan", number);
        return TypedResults.Ok(Pacing.Run(p.Parsed(), await store.GetAsync(db, ct), db.UtcNow, options.Value.Zone()));
    }

    private static async Task<Results<Ok<DrillPage>, ValidationProblem, ProblemHttpResult>> Records(TandemDb db, InsightStore store,
        IOptions<PlanOptions> options, int number, string? line, string? stage, DateOnly? week, int? page, int? pageSize, CancellationToken ct)
    {
        var p = await db.RevenuePlans.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct);
        if (p is null) return Problems.NotFound("Plan", number);
        var content = p.Parsed();
        var errors = new Errors();
        var lineName = content.Lines.FirstOrDefault(l => l.Line.Equals(line ?? FunnelRates.All, StringComparison.OrdinalIgnoreCase))?.Line;
        if (lineName is null) errors.Add("line", $"'{line}' is not a line of {p.Name}; its lines are {string.Join(", ", content.Lines.Select(l => l.Line))}.");
        var k = PlanStages.IndexOf(stage ?? "");
        if (k < 0) errors.Add("stage", $"'{stage}' is not a stage; use one of {string.Join(", ", PlanStages.Names)}.");
        if (week is { } w && (w.DayOfWeek != DayOfWeek.Monday || w < Periods.WeekOf(content.PeriodStart) || w >= content.PeriodEnd))
            errors.Add("week", $"'week' is the Monday of a week of {p.Period}.");
        if (errors.Any) return errors.ToProblem();
        var (from, to) = PlanRecords.Days(content, week);
        var (n, size) = (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 50, 1, Paging.MaxPageSize));
        var (total, items) = await PlanRecords.PageAsync(db, await store.GetAsync(db, ct), content, lineName!, k, from, to, options.Value.Zone(),
            (n - 1) * size, size, ct);
        return TypedResults.Ok(new DrillPage("pacing", $"{lineName} {PlanStages.Names[k]}", [from.ToString("yyyy-MM-dd")], total, n, size, items));
    }

    internal static async Task<PlanDto> DtoAsync(TandemDb db, RevenuePlan p, CancellationToken ct)
    {
        var reviews = await db.PlanReviews.AsNoTracking().Where(r => r.PlanId == p.Id).OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(ct);
        var userIds = reviews.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var basedOn = p.BasedOnId is { } b ? await db.RevenuePlans.AsNoTracking().Where(x => x.Id == b).Select(x => (int?)x.Number).FirstOrDefaultAsync(ct) : null;
        var state = Approvals.State(p.ContentHash, reviews);
        var content = p.Parsed();
        var roundTrip = PlanMath.ForwardRevenue(content.Grid(), content.PlanLines(), content.Lags);
        return new PlanDto(p.Number, p.Status, p.Period, p.Currency, Money.ToMajor(p.TargetMinor), PlanText.Summary(content), p.Note, p.ContentHash, basedOn,
            p.CreatedBy, p.CreatedAt, p.ApprovedAt, p.SupersededAt, p.Version, state.MarketingUserId is not null, state.SalesUserId is not null,
            Math.Round((decimal)roundTrip / 100, 2), content,
            [.. reviews.Select(r => new ReviewDto(r.UserId, names.GetValueOrDefault(r.UserId), r.Side, r.Decision, r.ContentHash, r.ContentHash == p.ContentHash, r.Comment, r.At))]);
    }
}
