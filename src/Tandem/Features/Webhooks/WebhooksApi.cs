using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Webhooks;

public sealed record WebhookEndpointDto(int Id, string Name, string Url, string Events, bool IsEnabled, DateTime CreatedAt, int Version)
{
    public static WebhookEndpointDto From(WebhookEndpoint e) => new(e.Id, e.Name, e.Url, e.Events, e.IsEnabled, e.CreatedAt, e.Version);
}

/// <summary>The endpoint with its signing secret: answered only on create and rotate.</summary>
public sealed record WebhookEndpointWithSecretDto(WebhookEndpointDto Endpoint, string Secret);

public sealed record WebhookEndpointInput(string? Name, string? Url, string? Events, bool? IsEnabled, int? Version);

public sealed record WebhookDeliveryDto(long Id, int EndpointId, string EventId, string EventType, DeliveryStatus Status, int Attempts,
    DateTime NextAttemptAt, DateTime? LastAttemptAt, int? LastStatusCode, string? LastError, DateTime CreatedAt,
    DateTime? DeliveredAt, DateTime? DeadLetteredAt, int Replays)
{
    public static WebhookDeliveryDto From(WebhookDelivery d) => new(d.Id, d.EndpointId, d.EventId, d.EventType, d.Status, d.Attempts,
        d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt, d.DeadLetteredAt, d.Replays);
}

/// <summary>Admin-only: endpoints, the delivery log, the dead-letter list and replay.</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/webhooks").WithTags("Webhooks");
        g.MapGet("/endpoints", (TandemDb db, CancellationToken ct) => db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id)
                .Select(e => WebhookEndpointDto.From(e)).ToListAsync(ct))
            .WithName("ListWebhookEndpoints").WithSummary("Registered webhook endpoints (without their secrets).")
            .RequireAuthorization(Permissions.Admin);
        g.MapPost("/endpoints", Create).WithName("CreateWebhookEndpoint")
            .WithSummary("Register an endpoint; the answer holds its signing secret, shown this once.")
            .RequireAuthorization(Permissions.Admin);
        g.MapPut("/endpoints/{id:int}", Update).WithName("UpdateWebhookEndpoint")
            .WithSummary("Change an endpoint's name, URL, event filter or enabled flag; send the version you read.")
            .RequireAuthorization(Permissions.Admin);
        g.MapPost("/endpoints/{id:int}/rotate-secret", Rotate).WithName("RotateWebhookSecret")
            .WithSummary("Give an endpoint a new signing secret, shown this once.")
            .RequireAuthorization(Permissions.Admin);
        g.MapDelete("/endpoints/{id:int}", Delete).WithName("DeleteWebhookEndpoint")
            .WithSummary("Remove an endpoint and its delivery log.")
            .RequireAuthorization(Permissions.Admin);
        g.MapGet("/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries, newest first; status=DeadLetter is the dead-letter list.")
            .RequireAuthorization(Permissions.Admin);
        g.MapPost("/deliveries/{id:long}/replay", Replay).WithName("ReplayWebhookDelivery")
            .WithSummary("Send a dead-lettered delivery again, with a fresh set of attempts.")
            .RequireAuthorization(Permissions.Admin);
        return api;
    }

    private static async Task<Results<Created<WebhookEndpointWithSecretDto>, ValidationProblem>> Create(
        TandemDb db, WebhookEndpointInput input, CancellationToken ct)
    {
        var errors = await ValidateAsync(db, input, null, ct);
        if (errors.Any) return errors.ToProblem();
        var endpoint = new WebhookEndpoint
        {
            Name = input.Name!.Trim(), Url = input.Url!.Trim(), Secret = WebhookSignature.NewSecret(),
            Events = Normalize(input.Events!), IsEnabled = input.IsEnabled ?? true,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/webhooks/endpoints/{endpoint.Id}",
            new WebhookEndpointWithSecretDto(WebhookEndpointDto.From(endpoint), endpoint.Secret));
    }

    private static async Task<Results<Ok<WebhookEndpointDto>, ValidationProblem, ProblemHttpResult>> Update(
        TandemDb db, int id, WebhookEndpointInput input, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null) return Problems.NotFound("Webhook endpoint", id);
        var errors = await ValidateAsync(db, input, id, ct);
        if (input.Version is null) errors.Add("version", "'version' is required on update: send the version you last read.");
        if (errors.Any) return errors.ToProblem();
        db.Entry(endpoint).Property(e => e.Version).OriginalValue = input.Version!.Value;
        endpoint.Name = input.Name!.Trim();
        endpoint.Url = input.Url!.Trim();
        endpoint.Events = Normalize(input.Events!);
        endpoint.IsEnabled = input.IsEnabled ?? endpoint.IsEnabled;
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Webhook endpoint {id}", input.Version.Value);
        return TypedResults.Ok(WebhookEndpointDto.From(endpoint));
    }

    private static async Task<Results<Ok<WebhookEndpointWithSecretDto>, ProblemHttpResult>> Rotate(TandemDb db, int id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null) return Problems.NotFound("Webhook endpoint", id);
        endpoint.Secret = WebhookSignature.NewSecret();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new WebhookEndpointWithSecretDto(WebhookEndpointDto.From(endpoint), endpoint.Secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(TandemDb db, int id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null) return Problems.NotFound("Webhook endpoint", id);
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<WebhookDeliveryDto>>> Deliveries(TandemDb db, DeliveryStatus? status, int? endpointId,
        int? page, int? pageSize, CancellationToken ct)
    {
        var q = db.WebhookDeliveries.AsNoTracking();
        if (status is { } s) q = q.Where(d => d.Status == s);
        if (endpointId is { } e) q = q.Where(d => d.EndpointId == e);
        return TypedResults.Ok(await q.OrderByDescending(d => d.Id).ToPageAsync(page, pageSize, WebhookDeliveryDto.From, ct));
    }

    private static async Task<Results<Accepted<WebhookDeliveryDto>, ProblemHttpResult>> Replay(TandemDb db, long id, CancellationToken ct)
    {
        var status = await db.WebhookDeliveries.Where(d => d.Id == id).Select(d => (DeliveryStatus?)d.Status).FirstOrDefaultAsync(ct);
        if (status is null) return Problems.NotFound("Webhook delivery", id);
        if (!await WebhookQueue.ReplayAsync(db, id, ct))
            return Problems.Conflict($"Webhook delivery {id} is {status}, not dead-lettered: only dead letters are replayed.");
        var d = await db.WebhookDeliveries.AsNoTracking().FirstAsync(x => x.Id == id, ct);
        return TypedResults.Accepted($"/api/webhooks/deliveries?endpointId={d.EndpointId}", WebhookDeliveryDto.From(d));
    }

    private static async Task<Errors> ValidateAsync(TandemDb db, WebhookEndpointInput input, int? selfId, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name);
        if (input.Name is { } n && await db.WebhookEndpoints.AnyAsync(x => x.Name == n.Trim() && x.Id != selfId, ct))
            e.Add("name", $"Another endpoint is named '{n.Trim()}'.");
        if (!Uri.TryCreate(input.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.Host.Length == 0)
            e.Add("url", $"'{input.Url}' is not an absolute http(s) URL, such as https://hooks.example.com/tandem.");
        else if (input.Url!.Length > 2000) e.Add("url", "'url' is longer than 2000 characters.");
        if (WebhookEvents.Validate(input.Events) is { } problem) e.Add("events", problem);
        return e;
    }

    private static string Normalize(string events) =>
        string.Join(',', events.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct());
}
