using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Plan;

public sealed record SnapshotInput(string? Note);

/// <summary>/api/snapshots: quarter-start snapshots of the validated pipeline, what became of them, and manual snapshots.</summary>
public static class SnapshotsApi
{
    public static RouteGroupBuilder MapSnapshotsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/snapshots").WithTags("Plan");
        g.MapGet("/", (TandemDb db, CancellationToken ct) => SnapshotReports.ListAsync(db, ct)).WithName("ListSnapshots")
            .WithSummary("Every pipeline snapshot, newest first: automatic ones at each quarter's start and manual ones.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}", Get).WithName("GetSnapshot")
            .WithSummary("What became of a snapshot's deals (won, lost, pushed, open), rep by rep with flags, and the quarter's pipeline flow.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Take).WithName("TakeSnapshot").WithSummary("Take a manual snapshot of this quarter's validated pipeline now.")
            .RequireAuthorization(Permissions.WriteSetup);
        return api;
    }

    private static async Task<Results<Ok<SnapshotReport>, ProblemHttpResult>> Get(TandemDb db, IOptions<PlanOptions> options, int id, CancellationToken ct) =>
        await SnapshotReports.RunAsync(db, id, options.Value, ct) is { } report ? TypedResults.Ok(report) : Problems.NotFound("Snapshot", id);

    private static async Task<Results<Created<SnapshotReport>, ValidationProblem>> Take(TandemDb db, IOptions<PlanOptions> options, SnapshotInput? input,
        CancellationToken ct)
    {
        if (new Errors().Texts<PipelineSnapshot>(input ?? new SnapshotInput(null)) is { Any: true } errors) return errors.ToProblem();
        var quarter = Period.Quarter(Periods.Today(db.UtcNow, options.Value.Zone()));
        var s = (await Snapshots.TakeAsync(db, quarter, SnapshotKind.Manual, options.Value, input?.Note?.Trim() is { Length: > 0 } n ? n : null, ct))!;
        return TypedResults.Created($"/api/snapshots/{s.Id}", (await SnapshotReports.RunAsync(db, s.Id, options.Value, ct))!);
    }
}
