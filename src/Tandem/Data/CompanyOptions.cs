using Microsoft.Extensions.Options;
using Tandem.Features.Notifications;

namespace Tandem.Data;

/// <summary>
/// Company-wide settings (section "Company"; TANDEM_COMPANY__CURRENCY). <see cref="Currency"/> is what money without a
/// currency of its own is in: a deal row or API call that names none (decision 0056).
/// </summary>
public sealed class CompanyOptions
{
    public const string Section = "Company";
    public const string CurrencyEnv = "TANDEM_COMPANY__CURRENCY";

    /// <summary>An ISO 4217 code; USD when not set, as before the setting existed.</summary>
    public string Currency { get; set; } = "USD";

    public string? Problem() => Money.IsCurrency(Currency ?? "")
        ? null
        : $"Company:Currency ({CurrencyEnv}): '{Currency}' is not a three-letter currency code such as EUR or BRL.";

    /// <summary>The upper-cased code, once <see cref="Problem"/> is null.</summary>
    public string Code => Currency.ToUpperInvariant();

    public static void AddTo(IServiceCollection s)
    {
        s.AddOptions<CompanyOptions>().BindConfiguration(Section).ValidateOnStart();
        s.AddSingleton<IValidateOptions<CompanyOptions>>(new SettingsCheck<CompanyOptions>(o => o.Problem()));
        s.AddSingleton(sp => sp.GetRequiredService<IOptions<CompanyOptions>>().Value);
    }

    /// <summary>The settings a CLI verb runs with, read as the server reads them: appsettings.json beside the executable, then TANDEM_ variables.</summary>
    public static CompanyOptions ReadSettings()
    {
        var config = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("TANDEM_").Build();
        return config.GetSection(Section).Get<CompanyOptions>() ?? new CompanyOptions();
    }
}
