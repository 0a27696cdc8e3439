using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Handoffs;

public sealed record TerritoryDto(int Id, int Position, string Name, string? Country, string? Region, string? Industry, int? MinEmployees, int? MaxEmployees, int TeamId);
public sealed record TerritoryInput(int? Position, string? Name, string? Country, string? Region, string? Industry, int? MinEmployees, int? MaxEmployees, int? TeamId);
public sealed record SeatDto(int UserId, bool IsAway, int? Capacity, DateTime? LastAssignedAt);
public sealed record SeatInput(bool? IsAway, int? Capacity);
public sealed record ReasonDto(string Code, string Label, bool Recycles, bool IsActive, int Position);
public sealed record ReasonInput(string? Code, string? Label, bool? Recycles, bool? IsActive);
public sealed record InfluenceDto(long Id, int OpportunityId, int PersonId, int? HandoffId, DateTime At, string? Note);

/// <summary>The routing setup an admin edits (territories, reps' seats, the rejection catalog) and the influence it records.</summary>
public static class RoutingApi
{
    public static RouteGroupBuilder MapRoutingApi(this RouteGroupBuilder api)
    {
        var t = api.MapGroup("/territories").WithTags("Handoff");
        t.MapGet("/", Territories).WithName("ListTerritories").WithSummary("Territory rules in the order they are tried.").RequireAuthorization(Permissions.Read);
        t.MapPost("/", AddTerritory).WithName("AddTerritory").WithSummary("Add a territory rule (country, region, industry, size band → team).")
            .RequireAuthorization(Permissions.Admin);
        t.MapPut("/{id:int}", SetTerritory).WithName("SetTerritory").WithSummary("Replace a territory rule.").RequireAuthorization(Permissions.Admin);
        t.MapDelete("/{id:int}", DeleteTerritory).WithName("DeleteTerritory").WithSummary("Remove a territory rule.").RequireAuthorization(Permissions.Admin);
        var s = api.MapGroup("/users/{id:int}/routing").WithTags("Handoff");
        s.MapGet("/", Seat).WithName("GetRoutingSeat").WithSummary("A user's round-robin seat: away, capacity, last assigned.").RequireAuthorization(Permissions.Read);
        s.MapPut("/", SetSeat).WithName("SetRoutingSeat").WithSummary("Mark a user away or back, or set how many open leads they may hold.")
            .RequireAuthorization(Permissions.WriteSetup);
        var r = api.MapGroup("/handoffs/reasons").WithTags("Handoff");
        r.MapGet("/", Reasons).WithName("ListRejectReasons").WithSummary("The rejection reason catalog.").RequireAuthorization(Permissions.Read);
        r.MapPost("/", AddReason).WithName("AddRejectReason").WithSummary("Add a rejection reason to the catalog.").RequireAuthorization(Permissions.Admin);
        r.MapPut("/{code}", SetReason).WithName("SetRejectReason").WithSummary("Relabel or retire a rejection reason (codes are never deleted).")
            .RequireAuthorization(Permissions.Admin);
        api.MapGet("/opportunities/{id:int}/influences", Influences).WithTags("Handoff").WithName("ListOpportunityInfluences")
            .WithSummary("Marketing's influence on an opportunity: leads that qualified while it was open.").RequireAuthorization(Permissions.Read);
        return api;
    }

    private static TerritoryDto Dto(TerritoryRule x) => new(x.Id, x.Position, x.Name, x.Country, x.Region, x.Industry, x.MinEmployees, x.MaxEmployees, x.TeamId);

    private static async Task<Ok<List<TerritoryDto>>> Territories(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.TerritoryRules.AsNoTracking().OrderBy(x => x.Position).ThenBy(x => x.Id).ToListAsync(ct)).Select(Dto).ToList());

    private static async Task<Results<Created<TerritoryDto>, ValidationProblem>> AddTerritory(TandemDb db, TerritoryInput input, CancellationToken ct)
    {
        var rule = new TerritoryRule { Name = "" };
        if (await ApplyAsync(db, rule, input, ct) is { } bad) return bad;
        db.TerritoryRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/territories/{rule.Id}", Dto(rule));
    }

    private static async Task<Results<Ok<TerritoryDto>, ValidationProblem, ProblemHttpResult>> SetTerritory(TandemDb db, int id, TerritoryInput input, CancellationToken ct)
    {
        var rule = await db.TerritoryRules.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (rule is null) return Problems.NotFound("Territory", id);
        if (await ApplyAsync(db, rule, input, ct) is { } bad) return bad;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Dto(rule));
    }

    // Through the tracker, not ExecuteDelete: the deletion is audited and lands in the change feed like every other write.
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTerritory(TandemDb db, int id, CancellationToken ct)
    {
        if (await db.TerritoryRules.FirstOrDefaultAsync(x => x.Id == id, ct) is not { } rule) return Problems.NotFound("Territory", id);
        db.TerritoryRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<ValidationProblem?> ApplyAsync(TandemDb db, TerritoryRule rule, TerritoryInput input, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name);
        if (input.TeamId is not { } team) e.Add("teamId", "'teamId' is required: the team whose reps share this territory.");
        else if (!await db.Teams.AnyAsync(x => x.Id == team, ct)) e.Add("teamId", $"Team {team} does not exist.");
        if (input.MinEmployees is < 0) e.Add("minEmployees", "'minEmployees' cannot be negative.");
        if (input.MinEmployees is { } lo && input.MaxEmployees is { } hi && hi < lo) e.Add("maxEmployees", $"'maxEmployees' ({hi}) is below 'minEmployees' ({lo}).");
        if (e.Any) return e.ToProblem();
        (rule.Name, rule.Country, rule.Region, rule.Industry) = (input.Name!.Trim(), Clean(input.Country), Clean(input.Region), Clean(input.Industry));
        (rule.MinEmployees, rule.MaxEmployees, rule.TeamId) = (input.MinEmployees, input.MaxEmployees, input.TeamId!.Value);
        rule.Position = input.Position ?? (rule.Id == 0 ? (await db.TerritoryRules.MaxAsync(x => (int?)x.Position, ct) ?? 0) + 10 : rule.Position);
        return null;
    }

    private static async Task<Results<Ok<SeatDto>, ProblemHttpResult>> Seat(TandemDb db, int id, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == id, ct)) return Problems.NotFound("User", id);
        var s = await db.RoutingSeats.AsNoTracking().FirstOrDefaultAsync(x => x.UserId == id, ct) ?? new RoutingSeat { UserId = id };
        return TypedResults.Ok(new SeatDto(s.UserId, s.IsAway, s.Capacity, s.LastAssignedAt));
    }

    private static async Task<Results<Ok<SeatDto>, ValidationProblem, ProblemHttpResult>> SetSeat(TandemDb db, int id, SeatInput input, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == id, ct)) return Problems.NotFound("User", id);
        if (input.Capacity is < 0 or > 10_000) return Errors.Single("capacity", "'capacity' must be 0 to 10,000 open leads, or empty for no limit.");
        var s = await db.RoutingSeats.FirstOrDefaultAsync(x => x.UserId == id, ct);
        if (s is null) db.RoutingSeats.Add(s = new RoutingSeat { UserId = id });
        (s.IsAway, s.Capacity) = (input.IsAway ?? s.IsAway, input.Capacity);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new SeatDto(s.UserId, s.IsAway, s.Capacity, s.LastAssignedAt));
    }

    private static ReasonDto Dto(RejectReason r) => new(r.Code, r.Label, r.Recycles, r.IsActive, r.Position);

    private static async Task<Ok<List<ReasonDto>>> Reasons(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.RejectReasons.AsNoTracking().OrderBy(r => r.Position).ToListAsync(ct)).Select(Dto).ToList());

    private static async Task<Results<Created<ReasonDto>, ValidationProblem>> AddReason(TandemDb db, ReasonInput input, CancellationToken ct)
    {
        var e = new Errors().Required("code", input.Code).Required("label", input.Label);
        var code = input.Code?.Trim().ToLowerInvariant() ?? "";
        if (code.Length > 0 && (code.Length > 60 || !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            e.Add("code", $"'{input.Code}' is not a code: use up to 60 lower-case letters, digits and dashes, such as 'wrong-region'.");
        else if (code.Length > 0 && await db.RejectReasons.AnyAsync(r => r.Code == code, ct)) e.Add("code", $"'{code}' is already in the catalog.");
        if (input.Label?.Length > 200) e.Add("label", "A label is at most 200 characters.");
        if (e.Any) return e.ToProblem();
        var reason = new RejectReason
        {
            Code = code, Label = input.Label!.Trim(), Recycles = input.Recycles ?? false, IsActive = input.IsActive ?? true,
            Position = (await db.RejectReasons.MaxAsync(r => (int?)r.Position, ct) ?? 0) + 1,
        };
        db.RejectReasons.Add(reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/handoffs/reasons/{code}", Dto(reason));
    }

    private static async Task<Results<Ok<ReasonDto>, ValidationProblem, ProblemHttpResult>> SetReason(TandemDb db, string code, ReasonInput input, CancellationToken ct)
    {
        var reason = await db.RejectReasons.FirstOrDefaultAsync(r => r.Code == code, ct);
        if (reason is null) return Problems.NotFound("Reason", code);
        if (input.Label is { } l && (string.IsNullOrWhiteSpace(l) || l.Length > 200)) return Errors.Single("label", "A label is 1 to 200 characters.");
        (reason.Label, reason.Recycles, reason.IsActive) = (input.Label?.Trim() ?? reason.Label, input.Recycles ?? reason.Recycles, input.IsActive ?? reason.IsActive);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Dto(reason));
    }

    private static async Task<Results<Ok<List<InfluenceDto>>, ProblemHttpResult>> Influences(TandemDb db, int id, CancellationToken ct)
    {
        if (!await db.Opportunities.AnyAsync(o => o.Id == id, ct)) return Problems.NotFound("Opportunity", id);
        return TypedResults.Ok(await db.OpportunityInfluences.AsNoTracking().Where(i => i.OpportunityId == id).OrderBy(i => i.At)
            .Select(i => new InfluenceDto(i.Id, i.OpportunityId, i.PersonId, i.HandoffId, i.At, i.Note)).ToListAsync(ct));
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
