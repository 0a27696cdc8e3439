using Microsoft.Extensions.Options;
using Tandem.Features.Notifications;

namespace Tandem.Features.Webhooks;

public static class WebhooksSetup
{
    /// <summary>Options from configuration section "Webhooks", the dispatcher, its HTTP client and the background loop.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<WebhookOptions>().BindConfiguration("Webhooks").ValidateOnStart();
        s.AddSingleton<IValidateOptions<WebhookOptions>>(new SettingsCheck<WebhookOptions>(o => o.Problem()));
        s.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value);
        s.AddSingleton<WebhookDispatcher>();
        s.AddHostedService<WebhookDeliveryService>();
        s.AddHttpClient(WebhookDispatcher.HttpClientName, c =>
            {
                c.Timeout = Timeout.InfiniteTimeSpan; // the dispatcher's own timeout (on the injected clock) governs
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Tandem-Webhooks/1");
            })
            // A redirect could carry a signed event somewhere the admin never registered.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return builder;
    }
}
