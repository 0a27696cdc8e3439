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
/// conditional update. Two passes therefore never send the same row at once, and a row whose sender
/// died mid-request is tried again once the lease runs out. Delivery is at least once; receivers drop
/// duplicates by the Tandem-Event-Id header.
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
                from d in db.WebhookDeliveries
                join e in db.WebhookEndpoints on d.EndpointId equals e.Id
                where d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && e.IsEnabled
                orderby d.NextAttemptAt, d.Id
                select new { Delivery = d, e.Url, e.Secret }).Take(options.BatchSize).ToListAsync(ct);
            var client = http.CreateClient(HttpClientName);
            var attempted = 0;
            foreach (var row in due)
            {
                if (!await ClaimAsync(db, row.Delivery, ct)) continue;
                attempted++;
                var (ok, status, error) = await SendAsync(client, row.Delivery, row.Url, row.Secret, ct);
                Record(row.Delivery, ok, status, error);
                await db.SaveChangesAsync(ct);
            }
            return attempted;
        }
        finally
        {
            _onePass.Release();
        }
    }

    private async Task<bool> ClaimAsync(TandemDb db, WebhookDelivery d, CancellationToken ct)
    {
        var lease = clock.GetUtcNow().UtcDateTime + options.Timeout + LeaseMargin;
        var seen = d.NextAttemptAt;
        var claimed = await db.WebhookDeliveries
            .Where(x => x.Id == d.Id && x.Status == DeliveryStatus.Pending && x.NextAttemptAt == seen)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptAt, lease), ct) == 1;
        if (claimed) db.Entry(d).Property(x => x.NextAttemptAt).OriginalValue = lease;
        return claimed;
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

    private void Record(WebhookDelivery d, bool ok, int? status, string? error)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        d.Attempts++;
        d.LastAttemptAt = now;
        d.LastStatusCode = status;
        d.LastError = error;
        if (ok)
        {
            d.Status = DeliveryStatus.Delivered;
            d.DeliveredAt = now;
        }
        else if (d.Attempts >= options.MaxAttempts)
        {
            d.Status = DeliveryStatus.DeadLetter;
            d.DeadLetteredAt = now;
            log.LogWarning("Webhook delivery {Id} ({Type}) dead-lettered after {Attempts} attempts: {Error}", d.Id, d.EventType, d.Attempts, error);
        }
        else
        {
            d.NextAttemptAt = now + options.BackoffAfter(d.Attempts);
        }
    }

    private static string Trim(string s) => s.Length <= 1000 ? s : s[..1000];
}
