using Microsoft.Extensions.Options;
using Tandem.Features.Insight;
using Tandem.Features.Notifications;

namespace Tandem.Features.Nurture;

public static class NurtureSetup
{
    /// <summary>Settings from section "Nurture", the runner, the mailer and the background loop.</summary>
    public static WebApplicationBuilder AddNurture(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<NurtureOptions>().BindConfiguration("Nurture").ValidateOnStart();
        s.AddSingleton<IValidateOptions<NurtureOptions>>(new SettingsCheck<NurtureOptions>(o => o.Problem()));
        s.AddSingleton(sp => sp.GetRequiredService<IOptions<NurtureOptions>>().Value);
        s.AddSingleton<NurtureKeys>();
        s.AddSingleton<NurtureMailer>();
        s.AddSingleton(sp => ActivatorUtilities.CreateInstance<NurtureRunner>(sp, Personas.FromConfiguration(sp.GetRequiredService<IConfiguration>())));
        s.AddHostedService<NurtureService>();
        s.AddSingleton<ClickWriter>();
        s.AddHostedService(sp => sp.GetRequiredService<ClickWriter>());
        return builder;
    }
}

/// <summary>The background loop: a pass at start, then every <see cref="NurtureOptions.PollInterval"/>. Every instance runs it; the passes claim their work.</summary>
public sealed class NurtureService(NurtureRunner runner, NurtureOptions options, TimeProvider clock, ILogger<NurtureService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await runner.RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
            catch (Exception e) { log.LogError(e, "Nurture pass failed; trying again in {Interval}.", options.PollInterval); }
            try { await Task.Delay(options.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
