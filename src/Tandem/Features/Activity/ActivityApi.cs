using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Activity;

public sealed record ActivityDto(long Id, DateTime At, string Actor, SubjectKind SubjectKind, int SubjectId, string Kind, string? Detail);

/// <summary>Read-only: the log has no write, update or delete endpoint.</summary>
public static class ActivityApi
{
    public static RouteGroupBuilder MapActivityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/activity", List).WithTags("Activity").WithName("ListActivity")
            .WithSummary("The append-only activity log, newest first, filtered by actor, subject, kind and time.")
            .RequireAuthorization(Permissions.Admin);
        return api;
    }

    private static async Task<Ok<Page<ActivityDto>>> List(TandemDb db, string? actor, SubjectKind? subjectKind, int? subjectId, string? kind,
        DateTime? from, DateTime? to, int? page, int? pageSize, CancellationToken ct)
    {
        var q = db.Activity.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(actor)) q = q.Where(a => a.Actor == actor);
        if (subjectKind is not null) q = q.Where(a => a.SubjectKind == subjectKind);
        if (subjectId is not null) q = q.Where(a => a.SubjectId == subjectId);
        if (!string.IsNullOrWhiteSpace(kind)) q = q.Where(a => a.Kind == kind);
        if (from is not null) q = q.Where(a => a.At >= from.Value.ToUniversalTime());
        if (to is not null) q = q.Where(a => a.At < to.Value.ToUniversalTime());
        return TypedResults.Ok(await q.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .ToPageAsync(page, pageSize, a => new ActivityDto(a.Id, a.At, a.Actor, a.SubjectKind, a.SubjectId, a.Kind, a.Detail), ct));
    }
}
