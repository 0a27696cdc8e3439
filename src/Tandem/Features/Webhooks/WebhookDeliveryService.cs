namespace Tandem.Features.Webhooks;

/// <summary>The background loop: a pass, then a pause on the injected clock; a full batch goes straight on.</summary>
public sealed class WebhookDeliveryService(WebhookDispatcher dispatcher, WebhookOptions options, TimeProvider clock,
    ILogger<WebhookDeliveryService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var attempted = 0;
            try
            {
                attempted = await dispatcher.DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A database hiccup must not end the loop; the rows are still there next time.
                log.LogError(e, "Webhook delivery pass failed; trying again in {Interval}.", options.PollInterval);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (attempted >= options.BatchSize) continue;
            try
            {
                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
