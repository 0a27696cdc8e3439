using Microsoft.Extensions.Options;
using Tandem.Features.Notifications;

namespace Tandem.Features.Plan;

public static class PlanSetup
{
    /// <summary>Plan settings from configuration section "Plan" (the company time zone, the committed stages).</summary>
    public static WebApplicationBuilder AddPlan(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<PlanOptions>().BindConfiguration(PlanOptions.Section).ValidateOnStart();
        s.AddSingleton<IValidateOptions<PlanOptions>>(new SettingsCheck<PlanOptions>(o => o.Problem()));
        s.AddHostedService<SnapshotJob>();
        s.AddSingleton<PlanCache>();
        return builder;
    }
}
