using Microsoft.Extensions.Options;

namespace Tandem.Features.Notifications;

/// <summary>Fails startup with the settings' own explanation (ValidateOnStart) instead of at the first email or webhook.</summary>
public sealed class SettingsCheck<T>(Func<T, string?> problem) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problem(options) is { } p ? ValidateOptionsResult.Fail(p) : ValidateOptionsResult.Success;
}
