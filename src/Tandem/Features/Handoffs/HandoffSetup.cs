using Microsoft.Extensions.Options;
using Tandem.Features.Notifications;

namespace Tandem.Features.Handoffs;

public static class HandoffSetup
{
    /// <summary>SLA settings from configuration section "Sla", the sweeper and its background loop.</summary>
    public static WebApplicationBuilder AddHandoff(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<SlaOptions>().BindConfiguration("Sla").ValidateOnStart();
        s.AddSingleton<IValidateOptions<SlaOptions>>(new SettingsCheck<SlaOptions>(o => o.Problem()));
        s.AddSingleton(sp => sp.GetRequiredService<IOptions<SlaOptions>>().Value);
        s.AddSingleton<SlaSweeper>();
        s.AddHostedService<SlaSweeperService>();
        return builder;
    }
}
