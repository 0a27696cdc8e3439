using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.People;

namespace Tandem.Features.Users;

public sealed record UserDto(int Id, string? ExternalId, string Name, string Email, int? TeamId, Role Role, int? ManagerId,
    string TimeZone, TimeOnly WorkdayStart, TimeOnly WorkdayEnd, string WorkingDays, bool IsActive, int Version)
{
    public static UserDto From(User u) => new(u.Id, u.ExternalId, u.Name, u.Email, u.TeamId, u.Role, u.ManagerId, u.TimeZone,
        u.WorkdayStart, u.WorkdayEnd, u.WorkingDays, u.IsActive, u.Version);
}

public sealed record UserInput(string? Name, string? Email, int? TeamId, Role? Role, int? ManagerId, string? TimeZone,
    TimeOnly? WorkdayStart, TimeOnly? WorkdayEnd, string? WorkingDays, bool? IsActive, string? ExternalId, int? Version);

public sealed record TeamDto(int Id, string Name, TeamKind Kind);

public sealed record TeamInput(string? Name, TeamKind? Kind);

public static class UsersApi
{
    private static readonly string[] Days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/users").WithTags("Users");
        g.MapGet("/", List).WithName("ListUsers").WithSummary("List and search users.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}", Get).WithName("GetUser").WithSummary("One user.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Create).WithName("CreateUser").WithSummary("Create a user.")
            .RequireAuthorization(Permissions.Admin);
        g.MapPut("/{id:int}", Update).WithName("UpdateUser").WithSummary("Replace a user's fields; send the version you read.")
            .RequireAuthorization(Permissions.Admin);
        var t = api.MapGroup("/teams").WithTags("Users");
        t.MapGet("/", (TandemDb db, CancellationToken ct) => db.Teams.AsNoTracking().OrderBy(x => x.Name)
            .Select(x => new TeamDto(x.Id, x.Name, x.Kind)).ToListAsync(ct)).WithName("ListTeams").WithSummary("All teams.")
            .RequireAuthorization(Permissions.Read);
        t.MapPost("/", CreateTeam).WithName("CreateTeam").WithSummary("Create a marketing or sales team.")
            .RequireAuthorization(Permissions.Admin);
        return api;
    }

    private static async Task<Ok<Page<UserDto>>> List(TandemDb db, string? q, int? teamId, Role? role, int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            query = query.Where(u => u.Name.ToLower().Contains(term) || u.Email.Contains(term));
        }
        if (teamId is not null) query = query.Where(u => u.TeamId == teamId);
        if (role is not null) query = query.Where(u => u.Role == role);
        return TypedResults.Ok(await query.OrderBy(u => u.Id).ToPageAsync(page, pageSize, UserDto.From, ct));
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(TandemDb db, int id, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) is { } u
            ? TypedResults.Ok(UserDto.From(u))
            : Problems.NotFound("User", id);

    private static async Task<Results<Created<UserDto>, ValidationProblem>> Create(TandemDb db, UserInput input, CancellationToken ct)
    {
        var errors = await ValidateAsync(db, input, null, ct);
        if (errors.Any) return errors.ToProblem();
        var u = new User { Name = input.Name!.Trim(), Email = EmailAddress.Normalize(input.Email!) };
        Apply(u, input);
        db.Users.Add(u);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/users/{u.Id}", UserDto.From(u));
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        TandemDb db, int id, UserInput input, CancellationToken ct)
    {
        var u = await db.Users.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (u is null) return Problems.NotFound("User", id);
        var errors = await ValidateAsync(db, input, id, ct);
        if (input.Version is null) errors.Add("version", "'version' is required on update: send the version you last read.");
        if (input.ManagerId == id) errors.Add("managerId", "A user cannot be their own manager.");
        if (errors.Any) return errors.ToProblem();
        db.Entry(u).Property(x => x.Version).OriginalValue = input.Version!.Value;
        u.Name = input.Name!.Trim();
        u.Email = EmailAddress.Normalize(input.Email!);
        Apply(u, input);
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"User {id}", input.Version.Value);
        return TypedResults.Ok(UserDto.From(u));
    }

    private static async Task<Results<Created<TeamDto>, ValidationProblem>> CreateTeam(TandemDb db, TeamInput input, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name).Texts<Team>(input);
        if (input.Kind is null) e.Add("kind", "'kind' is required: Marketing or Sales.");
        // Only a name the database can hold is looked up (PostgreSQL refuses a NUL in a query parameter).
        if (!e.Has("name") && input.Name is { } n && await db.Teams.AnyAsync(t => t.Name == n.Trim(), ct)) e.Add("name", $"A team named '{n.Trim()}' exists.");
        if (e.Any) return e.ToProblem();
        var team = new Team { Name = input.Name!.Trim(), Kind = input.Kind!.Value };
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/teams/{team.Id}", new TeamDto(team.Id, team.Name, team.Kind));
    }

    private static async Task<Errors> ValidateAsync(TandemDb db, UserInput input, int? selfId, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name).Texts<Users.User>(input);
        if (!EmailAddress.IsValid(input.Email)) e.Add("email", $"'{input.Email}' is not a valid email address.");
        else if (await db.Users.AnyAsync(u => u.Email == EmailAddress.Normalize(input.Email!) && u.Id != selfId, ct))
            e.Add("email", $"Another user already has email '{input.Email}'.");
        if (ModelLimits.EnumProblem(input.Role, "role") is { } roleProblem) e.Add("role", roleProblem);
        if (input.TeamId is { } t && !await db.Teams.AnyAsync(x => x.Id == t, ct)) e.Add("teamId", $"Team {t} does not exist.");
        if (input.ManagerId is { } m && !await db.Users.AnyAsync(x => x.Id == m, ct)) e.Add("managerId", $"User {m} does not exist.");
        if (input.TimeZone is { } tz && DateTimeZoneProviders.Tzdb.GetZoneOrNull(tz) is null)
            e.Add("timeZone", $"'{tz}' is not an IANA time zone (for example Europe/Berlin).");
        if (input.WorkdayStart is { } s && input.WorkdayEnd is { } end && end <= s) e.Add("workdayEnd", "'workdayEnd' must be after 'workdayStart'.");
        if (input.WorkingDays is { } d && d.Split(',', StringSplitOptions.TrimEntries).Any(x => !Days.Contains(x)))
            e.Add("workingDays", "'workingDays' is a comma-separated list of Mon, Tue, Wed, Thu, Fri, Sat, Sun.");
        if (input.ExternalId is { } x && await db.Users.AnyAsync(u => u.ExternalId == x && u.Id != selfId, ct))
            e.Add("externalId", $"Another user already has externalId '{x}'.");
        return e;
    }

    private static void Apply(User u, UserInput input)
    {
        u.TeamId = input.TeamId;
        u.Role = input.Role ?? Role.Viewer;
        u.ManagerId = input.ManagerId;
        u.TimeZone = input.TimeZone ?? u.TimeZone;
        u.WorkdayStart = input.WorkdayStart ?? u.WorkdayStart;
        u.WorkdayEnd = input.WorkdayEnd ?? u.WorkdayEnd;
        u.WorkingDays = input.WorkingDays is { } d ? string.Join(',', d.Split(',', StringSplitOptions.TrimEntries)) : u.WorkingDays;
        u.IsActive = input.IsActive ?? true;
        u.ExternalId = PersonValidation.Clean(input.ExternalId);
    }
}
