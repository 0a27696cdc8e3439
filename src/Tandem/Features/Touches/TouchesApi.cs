using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Touches;

public sealed record TouchDto(long Id, string EventId, int PersonId, TouchType Type, Channel Channel, int? CampaignId,
    DateTime OccurredAt, DateTime ReceivedAt, string? Properties)
{
    public static TouchDto From(Touch t) => new(t.Id, t.EventId, t.PersonId, t.Type, t.Channel, t.CampaignId, t.OccurredAt, t.ReceivedAt, t.Properties);
}

public sealed record TouchBatch(List<TouchInput>? Touches);

/// <summary>Touches are append-only: they can be sent, read and listed, never edited or deleted.</summary>
public static class TouchesApi
{
    public static RouteGroupBuilder MapTouchesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/touches").WithTags("Touches");
        g.MapGet("/", List).WithName("ListTouches").WithSummary("List touches, newest first, filtered by person, campaign, type or channel.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:long}", Get).WithName("GetTouch").WithSummary("One touch.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", CreateOne).WithName("CreateTouch").WithSummary("Record one touch; idempotent by eventId.")
            .RequireAuthorization(Permissions.Ingest).RequireRateLimiting(RateLimits.Ingest);
        // "touches:batch" follows Google's AIP-136 custom-method style; the route is literal.
        api.MapPost("/touches:batch", Batch).WithTags("Touches").WithName("BatchTouches")
            .WithSummary($"Record up to {TouchIngestor.MaxBatch:N0} touches; idempotent by eventId; unknown emails create people; per-item errors.")
            .RequireAuthorization(Permissions.Ingest).RequireRateLimiting(RateLimits.Ingest);
        return api;
    }

    private static async Task<Ok<Page<TouchDto>>> List(TandemDb db, int? personId, int? campaignId, TouchType? type, Channel? channel,
        int? page, int? pageSize, CancellationToken ct)
    {
        var q = db.Touches.AsNoTracking();
        if (personId is not null) q = q.Where(t => t.PersonId == personId);
        if (campaignId is not null) q = q.Where(t => t.CampaignId == campaignId);
        if (type is not null) q = q.Where(t => t.Type == type);
        if (channel is not null) q = q.Where(t => t.Channel == channel);
        return TypedResults.Ok(await q.OrderByDescending(t => t.OccurredAt).ThenByDescending(t => t.Id).ToPageAsync(page, pageSize, TouchDto.From, ct));
    }

    private static async Task<Results<Ok<TouchDto>, ProblemHttpResult>> Get(TandemDb db, long id, CancellationToken ct) =>
        await db.Touches.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is { } t
            ? TypedResults.Ok(TouchDto.From(t))
            : Problems.NotFound("Touch", id);

    private static async Task<Results<Created<TouchDto>, Ok<TouchDto>, ValidationProblem>> CreateOne(TandemDb db, TouchIngestor ingestor,
        TouchInput input, CancellationToken ct)
    {
        var result = await ingestor.IngestAsync([input], ct);
        if (result.Errors.Count > 0)
        {
            var errors = new Errors();
            foreach (var e in result.Errors) errors.Add(e.Field, e.Message);
            return errors.ToProblem();
        }
        var stored = await db.Touches.AsNoTracking().FirstAsync(t => t.EventId == input.EventId!.Trim(), ct);
        // A resend of a known event id is not an error: it answers 200 with the touch already stored.
        return result.Created == 1 ? TypedResults.Created($"/api/touches/{stored.Id}", TouchDto.From(stored)) : TypedResults.Ok(TouchDto.From(stored));
    }

    private static async Task<Results<Ok<BatchResult>, ValidationProblem>> Batch(TouchIngestor ingestor, TouchBatch body, CancellationToken ct)
    {
        if (body.Touches is null) return Errors.Single("touches", "'touches' is required: an array of touches.");
        if (body.Touches.Count > TouchIngestor.MaxBatch)
            return Errors.Single("touches", $"A batch holds at most {TouchIngestor.MaxBatch:N0} touches; this one has {body.Touches.Count:N0}. Split it.");
        return TypedResults.Ok(await ingestor.IngestAsync(body.Touches, ct));
    }
}
