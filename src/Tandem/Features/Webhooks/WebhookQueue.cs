using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Webhooks;

/// <summary>The one way features raise a webhook event.</summary>
public static class WebhookQueue
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds one outbox row per enabled endpoint that wants <paramref name="eventType"/> to <paramref name="db"/>
    /// and returns how many. It does not save: the caller's SaveChangesAsync writes the rows in the same
    /// transaction as the change that caused the event, so an event is never lost or sent for a change that
    /// rolled back. The delivery loop sends them (usually within seconds).
    /// </summary>
    /// <param name="eventType">Lower-case words joined by dots, such as "sla.breached".</param>
    /// <param name="data">Serialized as the body's "data" (camelCase JSON).</param>
    public static async Task<int> EnqueueAsync(TandemDb db, string eventType, object data, CancellationToken ct = default)
    {
        if (!WebhookEvents.IsType(eventType))
            throw new ArgumentException($"'{eventType}' is not an event type (lower-case words joined by dots).", nameof(eventType));
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.IsEnabled).ToListAsync(ct);
        var wanted = endpoints.Where(e => e.Wants(eventType)).ToList();
        if (wanted.Count == 0) return 0;
        var now = db.UtcNow;
        var eventId = "evt_" + Guid.CreateVersion7(new DateTimeOffset(now)).ToString("N");
        var body = JsonSerializer.Serialize(new { id = eventId, type = eventType, createdAt = now, data }, Json);
        foreach (var endpoint in wanted)
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                EndpointId = endpoint.Id, EventId = eventId, EventType = eventType, Body = body,
                Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
            });
        return wanted.Count;
    }

    /// <summary>Puts a dead-lettered delivery back in the queue with a fresh set of attempts. False if it is not dead.</summary>
    public static async Task<bool> ReplayAsync(TandemDb db, long deliveryId, CancellationToken ct = default)
    {
        var now = db.UtcNow;
        return await db.WebhookDeliveries
            .Where(d => d.Id == deliveryId && d.Status == DeliveryStatus.DeadLetter)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.DeadLetteredAt, (DateTime?)null)
                .SetProperty(d => d.Replays, d => d.Replays + 1), ct) == 1;
    }
}
