using Microsoft.Extensions.Options;

namespace Tandem.Features.Notifications;

public static class NotificationsSetup
{
    /// <summary>SMTP settings from configuration section "Smtp", the email sender that fits them, and the <see cref="Notifier"/>.</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<SmtpOptions>().BindConfiguration("Smtp").ValidateOnStart();
        s.AddSingleton<IValidateOptions<SmtpOptions>>(new SettingsCheck<SmtpOptions>(o => o.Problem()));
        s.AddSingleton(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value);
        s.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<SmtpOptions>().IsConfigured
            ? ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp)
            : ActivatorUtilities.CreateInstance<LogOnlyEmailSender>(sp));
        s.AddSingleton<Notifier>();
        s.AddSingleton<EmailOutbox>();
        s.AddHostedService<EmailOutboxService>();
        return builder;
    }
}
