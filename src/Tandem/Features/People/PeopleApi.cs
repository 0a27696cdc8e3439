using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Lifecycle;
using Tandem.Features.Properties;

namespace Tandem.Features.People;

public sealed record PersonDto(int Id, string? ExternalId, string? Email, string? FirstName, string? LastName, string? Title,
    string? Phone, int? AccountId, Channel? SourceChannel, int? SourceCampaignId, LifecycleStage Stage, DateTime StageChangedAt,
    DateTime? ReengageAt, int? OwnerId, DateTime CreatedAt, DateTime UpdatedAt, int Version, IDictionary<string, string> Properties)
{
    public static PersonDto From(Person p, IDictionary<string, string>? props = null) => new(p.Id, p.ExternalId, p.Email, p.FirstName,
        p.LastName, p.Title, p.Phone, p.AccountId, p.SourceChannel, p.SourceCampaignId, p.Stage, p.StageChangedAt, p.ReengageAt,
        p.OwnerId, p.CreatedAt, p.UpdatedAt, p.Version, props ?? new Dictionary<string, string>());
}

/// <summary>Create and update body. On update, <see cref="Version"/> must be the version last read.</summary>
public sealed record PersonInput(string? Email, string? FirstName, string? LastName, string? Title, string? Phone,
    int? AccountId, Channel? SourceChannel, int? SourceCampaignId, int? OwnerId, string? ExternalId,
    Dictionary<string, string>? Properties, int? Version);

/// <summary>A move by hand: the target stage, a reason (required for Nurture and Disqualified) and a note.
/// <see cref="Cause"/> is refused with 400: the server derives causes.</summary>
public sealed record StageChangeInput(LifecycleStage? To, string? Reason, string? Note, string? Cause, DateTime? ReengageAt);

public sealed record StageChangeDto(long Id, int PersonId, LifecycleStage? From, LifecycleStage To, DateTime At, string Cause,
    string Actor, string? Reason, string? Note)
{
    public static StageChangeDto Of(StageChange c) => new(c.Id, c.PersonId, c.From, c.To, c.At, c.Cause, c.Actor, c.Reason, c.Note);
}

public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/people").WithTags("People");
        g.MapGet("/", List).WithName("ListPeople").WithSummary("List and search people (q matches email, name and title).")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}", Get).WithName("GetPerson").WithSummary("One person with custom properties.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Create).WithName("CreatePerson").WithSummary("Create a person; they enter at Inquiry.")
            .RequireAuthorization(Permissions.WriteLeads);
        g.MapPut("/{id:int}", Update).WithName("UpdatePerson").WithSummary("Replace a person's fields; send the version you read.")
            .RequireAuthorization(Permissions.WriteLeads);
        g.MapPost("/{id:int}/stage", ChangeStage).WithName("ChangePersonStage")
            .WithSummary("Move a person to another lifecycle stage by hand; invalid transitions are refused, and a person handed over to sales moves through the handoff.")
            .RequireAuthorization(Permissions.WriteLeads);
        g.MapGet("/{id:int}/stages", StageHistory).WithName("ListPersonStages").WithSummary("The person's stage history, oldest first.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}/timeline", Timeline).WithName("GetPersonTimeline")
            .WithSummary("Every touch, stage change and activity of a person, newest first.")
            .RequireAuthorization(Permissions.Read);
        return api;
    }

    private static async Task<Ok<Page<PersonDto>>> List(TandemDb db, string? q, LifecycleStage? stage, int? accountId, int? ownerId,
        int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.People.AsNoTracking().Matching(q);
        if (stage is not null) query = query.Where(p => p.Stage == stage);
        if (accountId is not null) query = query.Where(p => p.AccountId == accountId);
        if (ownerId is not null) query = query.Where(p => p.OwnerId == ownerId);
        return TypedResults.Ok(await query.OrderBy(p => p.Id).ToPageAsync(page, pageSize, p => PersonDto.From(p), ct));
    }

    private static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> Get(TandemDb db, int id, CancellationToken ct)
    {
        var p = await db.People.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Problems.NotFound("Person", id);
        return TypedResults.Ok(PersonDto.From(p, await Props.LoadAsync(db, SubjectKind.Person, id, ct)));
    }

    private static async Task<Results<Created<PersonDto>, ValidationProblem, ProblemHttpResult>> Create(TandemDb db, HttpContext http,
        PersonInput input, CancellationToken ct)
    {
        input = input with { OwnerId = OwnRecords.DefaultOwner(http, input.OwnerId) };
        if (await OwnRecords.RefuseUnlessMineAsync(http, input.OwnerId, "a lead for another owner") is { } refused) return refused;
        (var errors, input) = await PersonValidation.ValidateAsync(db, input, null, ct);
        if (errors.Any) return errors.ToProblem();
        var email = PersonValidation.Clean(input.Email) is { } given ? EmailAddress.Normalize(given) : null;
        if (email is not null && await db.People.AnyAsync(p => p.Email == email, ct))
            return Problems.Conflict($"A person with email '{email}' already exists.");

        var person = new Person { Email = email };
        await PersonValidation.ApplyAsync(db, person, input, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.People.Add(person);
        Transitions.Enter(db, person, LifecycleStage.Inquiry, db.UtcNow, EntrySource.Api, db.Actor);
        await db.SaveChangesAsync(ct);
        await Props.ReplaceAsync(db, SubjectKind.Person, person.Id, input.Properties, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/people/{person.Id}", PersonDto.From(person, input.Properties));
    }

    private static async Task<Results<Ok<PersonDto>, ValidationProblem, ProblemHttpResult>> Update(
        TandemDb db, HttpContext http, int id, PersonInput input, CancellationToken ct)
    {
        var person = await db.People.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (person is null) return Problems.NotFound("Person", id);
        if (await OwnRecords.RefuseUnlessMineAsync(http, person.OwnerId, $"Person {id}") is { } refused) return refused;
        if (await OwnRecords.RefuseUnlessMineAsync(http, input.OwnerId, "handing the lead to another owner") is { } handedOff) return handedOff;
        (var errors, input) = await PersonValidation.ValidateAsync(db, input, id, ct);
        if (input.Version is null) errors.Add("version", "'version' is required on update: send the version you last read.");
        if (errors.Any) return errors.ToProblem();

        // The version the client read is what we expect to overwrite; a newer one means someone else got there first.
        db.Entry(person).Property(x => x.Version).OriginalValue = input.Version!.Value;
        person.Email = PersonValidation.Clean(input.Email) is { } email ? EmailAddress.Normalize(email) : null;
        await PersonValidation.ApplyAsync(db, person, input, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Props.ReplaceAsync(db, SubjectKind.Person, id, input.Properties, ct);
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Person {id}", input.Version.Value);
        // A new title or account can change fit; the person is evaluated against the active definition (automatic MQL).
        await Transitions.AfterFitChangeAsync(db, [id], ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(PersonDto.From(person, await Props.LoadAsync(db, SubjectKind.Person, id, ct)));
    }

    private static async Task<Results<Ok<StageChangeDto>, ProblemHttpResult, ValidationProblem>> ChangeStage(
        TandemDb db, HttpContext http, int id, StageChangeInput input, CancellationToken ct)
    {
        // The cause of a move is derived by the server from the transition; a client cannot choose it (decision 0040).
        if (input.Cause is not null) return Errors.Single("cause", "'cause' cannot be sent: Tandem records the cause of a stage change itself (\"manual\" for a move by hand). Put your explanation in 'reason' or 'note'.");
        if (input.To is null) return Errors.Single("to", "'to' is required: one of " + string.Join(", ", Enum.GetNames<LifecycleStage>()) + ".");
        var person = await db.People.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (person is null) return Problems.NotFound("Person", id);
        if (await OwnRecords.RefuseUnlessMineAsync(http, person.OwnerId, $"Person {id}") is { } refused) return refused;
        var moved = await Transitions.ManualAsync(db, person, input.To.Value, input.Reason, input.Note, input.ReengageAt, db.Actor, ct);
        if (moved.Error is { } e)
            return e.Field is not null ? Errors.Single(e.Field, e.Detail) : Problems.Conflict(e.Detail);
        var change = moved.Change;
        // Two moves decided on the same stage must not both land: the person's version guards it.
        if (!await db.TrySaveAsync(ct)) return Problems.Conflict($"Person {id} changed stage meanwhile; reload and decide again.");
        return TypedResults.Ok(StageChangeDto.Of(change!));
    }

    private static async Task<Results<Ok<List<StageChangeDto>>, ProblemHttpResult>> StageHistory(TandemDb db, int id, CancellationToken ct)
    {
        if (!await db.People.AnyAsync(p => p.Id == id, ct)) return Problems.NotFound("Person", id);
        var rows = await db.StageChanges.AsNoTracking().Where(c => c.PersonId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(StageChangeDto.Of).ToList());
    }

    private static async Task<Results<Ok<List<TimelineItem>>, ProblemHttpResult>> Timeline(TandemDb db, int id, CancellationToken ct)
    {
        if (!await db.People.AnyAsync(p => p.Id == id, ct)) return Problems.NotFound("Person", id);
        return TypedResults.Ok(await PersonTimeline.LoadAsync(db, id, ct));
    }
}
