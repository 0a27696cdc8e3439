using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Handoffs;

/// <summary>The rep's queue and actions: /api/handoffs.</summary>
public static class HandoffApi
{
    public static RouteGroupBuilder MapHandoffApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/handoffs").WithTags("Handoff");
        g.MapGet("/", List).WithName("ListHandoffs")
            .WithSummary("Handed-off leads, most urgent first; mine=true for the signed-in user's queue, or filter by assignee, state and status.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}", Get).WithName("GetHandoff").WithSummary("One handed-off lead with its deadlines, attempts and breaches.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/{id:int}/attempts", Attempt).WithName("LogHandoffAttempt")
            .WithSummary("Log a call, email, meeting or social attempt (reps: on their own leads).").RequireAuthorization(Permissions.WorkLeads);
        g.MapPost("/{id:int}/accept", Accept).WithName("AcceptHandoff")
            .WithSummary("Accept the lead: it moves to SAL. A lead already decided answers 409.").RequireAuthorization(Permissions.WorkLeads);
        g.MapPost("/{id:int}/convert", Convert).WithName("ConvertHandoff")
            .WithSummary("Turn the lead into a new opportunity: it moves to SQL.").RequireAuthorization(Permissions.WorkLeads);
        g.MapPost("/{id:int}/reject", Reject).WithName("RejectHandoff")
            .WithSummary("Reject with a reason code from the catalog and an optional note; 'no budget or timing now' recycles to Nurture.")
            .RequireAuthorization(Permissions.WorkLeads);
        g.MapPost("/{id:int}/reassign", Reassign).WithName("ReassignHandoff")
            .WithSummary("Hand an open lead to another rep of a team you manage (managers and admins); the SLA clock restarts for the new rep (decision 0081).")
            .RequireAuthorization(Permissions.WorkLeads);
        api.MapGet("/sla/report", Report).WithTags("Handoff").WithName("GetSlaReport")
            .WithSummary("SLA compliance by rep, team and week; time to first touch; attempts; rejection reasons by channel and campaign; recycled leads; the marketing SLA.")
            .RequireAuthorization(Permissions.Read);
        return api;
    }

    private static async Task<Results<Ok<SlaReportDto>, ValidationProblem>> Report(TandemDb db, DateTime? from, DateTime? to, int? mqlTarget, int? salTarget,
        CancellationToken ct)
    {
        var (f, t) = Period(db.UtcNow, from, to);
        if (PeriodProblem(f, t) is { } problem) return Errors.Single(problem.Field, problem.Message);
        if (mqlTarget is < 0) return Errors.Single("mqlTarget", "'mqlTarget' cannot be negative.");
        if (salTarget is < 0) return Errors.Single("salTarget", "'salTarget' cannot be negative.");
        return TypedResults.Ok(await SlaReport.RunAsync(db, f, t, mqlTarget, salTarget, ct));
    }

    /// <summary>The longest period one report covers (its weekly table has a row per week).</summary>
    public const int MaxYears = 10;

    /// <summary>Why [from, to) cannot be reported on, naming the field, or null.</summary>
    public static (string Field, string Message)? PeriodProblem(DateTime from, DateTime to)
    {
        if (ModelLimits.DateProblem(from, "from") is { } f) return ("from", f);
        if (ModelLimits.DateProblem(to, "to") is { } t) return ("to", t);
        if (to <= from) return ("to", $"'to' ({to:yyyy-MM-dd}) must be after 'from' ({from:yyyy-MM-dd}).");
        if (to > from.AddYears(MaxYears)) return ("to", $"A report covers at most {MaxYears} years; 'to' ({to:yyyy-MM-dd}) is later than {from.AddYears(MaxYears):yyyy-MM-dd}.");
        return null;
    }

    /// <summary>The default period: the last 12 whole weeks and this one, to tomorrow (UTC).</summary>
    public static (DateTime From, DateTime To) Period(DateTime now, DateTime? from, DateTime? to)
    {
        var t = to is { } x ? DateTime.SpecifyKind(x, DateTimeKind.Utc) : now.Date.AddDays(1);
        var f = from is { } y ? DateTime.SpecifyKind(y, DateTimeKind.Utc) : SlaMath.WeekOf(now).AddDays(-84).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return (f, t);
    }

    private static async Task<Ok<List<HandoffDto>>> List(TandemDb db, HttpContext http, bool? mine, int? assigneeId, HandoffState? state,
        SlaStatus? status, int? personId, CancellationToken ct)
    {
        var q = db.Handoffs.AsQueryable();
        if (mine == true) q = q.Where(h => h.AssigneeId == (http.User.UserId() ?? -1));
        if (assigneeId is { } a) q = q.Where(h => h.AssigneeId == a);
        if (personId is { } p) q = q.Where(h => h.PersonId == p);
        q = state is { } s ? q.Where(h => h.State == s) : personId is null ? q.Where(h => h.State == HandoffState.Open) : q;
        var items = HandoffQueries.ByUrgency(await HandoffQueries.ListAsync(db, q.OrderBy(h => h.NextDeadline).Take(1000), ct));
        return TypedResults.Ok(status is { } st ? items.Where(i => i.Status == st).ToList() : items);
    }

    private static async Task<Results<Ok<HandoffDetailDto>, ProblemHttpResult>> Get(TandemDb db, int id, CancellationToken ct) =>
        await HandoffQueries.DetailAsync(db, id, ct) is { } d ? TypedResults.Ok(d) : Problems.NotFound("Lead", id);

    private static Task<Results<Ok<HandoffDetailDto>, ValidationProblem, ProblemHttpResult>> Attempt(TandemDb db, HttpContext http, int id,
        AttemptInput input, CancellationToken ct) =>
        ActAsync(db, http, id, (h, actor) => HandoffActions.LogAttemptAsync(db, h, input, actor, ct), ct);

    private static Task<Results<Ok<HandoffDetailDto>, ValidationProblem, ProblemHttpResult>> Accept(TandemDb db, HttpContext http, int id,
        DecisionInput? input, CancellationToken ct) =>
        ActAsync(db, http, id, (h, actor) => HandoffActions.AcceptAsync(db, h, input ?? new DecisionInput(null, null), actor, ct), ct);

    private static Task<Results<Ok<HandoffDetailDto>, ValidationProblem, ProblemHttpResult>> Convert(TandemDb db, HttpContext http, int id,
        CompanyOptions company, ConvertInput? input, CancellationToken ct) =>
        ActAsync(db, http, id, (h, actor) => HandoffActions.ConvertAsync(db, h, input ?? new ConvertInput(null, null, null, null, null, null), company.Code, actor, ct), ct);

    private static Task<Results<Ok<HandoffDetailDto>, ValidationProblem, ProblemHttpResult>> Reject(TandemDb db, HttpContext http, int id,
        RejectInput input, CancellationToken ct) =>
        ActAsync(db, http, id, (h, actor) => HandoffActions.RejectAsync(db, h, input, actor, ct), ct);

    private static async Task<Results<Ok<HandoffDetailDto>, ValidationProblem, ProblemHttpResult>> Reassign(TandemDb db, HttpContext http, int id,
        ReassignInput input, CancellationToken ct)
    {
        var h = await db.Handoffs.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return Problems.NotFound("Lead", id);
        if (await TeamScope.ForAsync(db, http.User, ct) is not { } scope)
        {
            await DenialRecorder.RecordAsync(http, $"reassigning lead {id} without managing a team");
            return TypedResults.Problem(title: "Forbidden", detail: "Only sales managers (within their teams) and admins reassign leads.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (await HandoffActions.ReassignAsync(db, h, input, scope, http.User.Actor(), ct) is { } e)
        {
            if (e.Status == StatusCodes.Status403Forbidden) await DenialRecorder.RecordAsync(http, e.Detail);
            return e.Field is not null ? Errors.Single(e.Field, e.Detail)
                : TypedResults.Problem(title: e.Status switch { 409 => "Conflict", 403 => "Forbidden", _ => "Refused" }, detail: e.Detail, statusCode: e.Status);
        }
        db.ChangeTracker.Clear();
        return TypedResults.Ok((await HandoffQueries.DetailAsync(db, id, ct))!);
    }

    /// <summary>Loads the lead, refuses a rep who does not own it (403, recorded), runs the action and answers the lead as it now is.</summary>
    internal static async Task<Results<Ok<HandoffDetailDto>, ValidationProblem, ProblemHttpResult>> ActAsync(TandemDb db, HttpContext http, int id,
        Func<Handoff, string, Task<ActionError?>> action, CancellationToken ct)
    {
        var h = await db.Handoffs.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return Problems.NotFound("Lead", id);
        if (await OwnRecords.RefuseUnlessMineAsync(http, h.AssigneeId, $"lead {id}") is { } forbidden) return forbidden;
        if (await action(h, http.User.Actor()) is { } e)
            return e.Field is not null ? Errors.Single(e.Field, e.Detail)
                : TypedResults.Problem(title: e.Status == StatusCodes.Status409Conflict ? "Conflict" : "Refused", detail: e.Detail, statusCode: e.Status);
        db.ChangeTracker.Clear();
        return TypedResults.Ok((await HandoffQueries.DetailAsync(db, id, ct))!);
    }
}
