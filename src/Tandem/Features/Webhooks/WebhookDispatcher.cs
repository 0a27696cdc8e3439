using System.Text;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Webhooks;

/// <summary>
/// Sends due deliveries: one pass per call. The background service calls it on a timer; tests call
/// <see cref="DeliverDueAsync"/> directly and move a fake clock between passes.
/// </summary>
/// <remarks>
/// Each row is claimed before sending by moving its NextAttemptAt past the timeout (a lease), with a
/// conditional update. Two passes (in this server or another on the same database) therefore never send
/// the same row at once, and a row whose sender died mid-request is tried again once the lease runs out.
/// The outcome is recorded only while the lease still holds (NextAttemptAt is still the lease written), so a
/// sender that stalled past its lease cannot overwrite what the server that took the row over recorded.
/// Delivery is at least once; receivers drop duplicates by the Tandem-Event-Id header.
/// </remarks>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, IHttpClientFactory http, TimeProvider clock,
    WebhookOptions options, ILogger<WebhookDispatcher> log)
{
    public const string HttpClientName = "webhooks";
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _onePass = new(1, 1);

    /// <summary>Attempts every due delivery (up to the batch size) once; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct = default)
    {
        await _onePass.WaitAsync(ct);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            var now = clock.GetUtcNow().UtcDateTime;
            var due = await (
                from d in db.WebhookDeliveries.AsNoTracking()
                join e in db.WebhookEndpoints.AsNoTracking() on d.EndpointId equals e.Id
                where d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && e.IsEnabled
                orderby d.NextAttemptAt, d.Id
                select new { Delivery = d, e.Url, e.Secret }).Take(options.BatchSize).ToListAsync(ct);
            var client = http.CreateClient(HttpClientName);
            var attempted = 0;
            foreach (var row in due)
            {
                if (await ClaimAsync(db, row.Delivery, ct) is not { } lease) continue;
                attempted++;
                var (ok, status, error) = await SendAsync(client, row.Delivery, row.Url, row.Secret, ct);
                if (!await RecordAsync(db, row.Delivery, lease, ok, status, error, ct))
                    log.LogWarning("Webhook delivery {Id} ({Type}): the lease ran out before the answer came ({Outcome}); another server has taken the row over, so this attempt is not recorded.",
                        row.Delivery.Id, row.Delivery.EventType, ok ? $"HTTP {status}" : error);
            }
            return attempted;
        }
        finally
        {
            _onePass.Release();
        }
    }

    /// <summary>Takes the row for one attempt if nobody else has (its NextAttemptAt is still what this pass read); returns the lease.</summary>
    private async Task<DateTime?> ClaimAsync(TandemDb db, WebhookDelivery d, CancellationToken ct)
    {
        var lease = clock.GetUtcNow().UtcDateTime + options.Timeout + LeaseMargin;
        lease = new DateTime(lease.Ticks - lease.Ticks % 10, DateTimeKind.Utc); // whole microseconds, as PostgreSQL stores it
        var seen = d.NextAttemptAt;
        var claimed = await db.WebhookDeliveries
            .Where(x => x.Id == d.Id && x.Status == DeliveryStatus.Pending && x.NextAttemptAt == seen)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptAt, lease), ct) == 1;
        return claimed ? lease : null;
    }

    private async Task<(bool Ok, int? Status, string? Error)> SendAsync(HttpClient client, WebhookDelivery d, string url, string secret,
        CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(d.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.HeaderValue(secret, clock.GetUtcNow(), d.Body));
        request.Headers.Add("Tandem-Event", d.EventType);
        request.Headers.Add("Tandem-Event-Id", d.EventId);
        request.Headers.Add("Tandem-Delivery", d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Tandem-Attempt", (d.Attempts + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The timeout runs on the injected clock, so a test can cut off a hanging receiver by advancing it.
        using var timeout = new CancellationTokenSource(options.Timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (true, code, null) : (false, code, $"HTTP {code} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, null, $"No answer within {options.Timeout.TotalSeconds:0.###} s (timeout).");
        }
        catch (HttpRequestException e)
        {
            return (false, null, Trim(e.Message));
        }
    }

    /// <summary>Writes the attempt's outcome if the row is still under this pass's lease; false when another pass took it over.</summary>
    private async Task<bool> RecordAsync(TandemDb db, WebhookDelivery d, DateTime lease, bool ok, int? status, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var attempts = d.Attempts + 1;
        var outcome = ok ? DeliveryStatus.Delivered : attempts >= options.MaxAttempts ? DeliveryStatus.DeadLetter : DeliveryStatus.Pending;
        var recorded = await db.WebhookDeliveries
            .Where(x => x.Id == d.Id && x.Status == DeliveryStatus.Pending && x.NextAttemptAt == lease)
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(x => x.Attempts, attempts).SetProperty(x => x.LastAttemptAt, now)
                    .SetProperty(x => x.LastStatusCode, status).SetProperty(x => x.LastError, error).SetProperty(x => x.Status, outcome);
                if (outcome == DeliveryStatus.Delivered) s.SetProperty(x => x.DeliveredAt, now);
                else if (outcome == DeliveryStatus.DeadLetter) s.SetProperty(x => x.DeadLetteredAt, now);
                else s.SetProperty(x => x.NextAttemptAt, now + options.BackoffAfter(attempts));
            }, ct) == 1;
        if (recorded && outcome == DeliveryStatus.DeadLetter)
            log.LogWarning("Webhook delivery {Id} ({Type}) dead-lettered after {Attempts} attempts: {Error}", d.Id, d.EventType, attempts, error);
        return recorded;
    }

    private static string Trim(string s) => s.Length <= 1000 ? s : s[..1000];
}
