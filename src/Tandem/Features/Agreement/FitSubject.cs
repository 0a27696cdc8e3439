using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>What fit and exclusions look at: the person, their account and both sets of custom properties.</summary>
public sealed record FitSubject(string Email, string? Title, Channel? SourceChannel, string? Industry, int? Employees, long? AnnualRevenue,
    string? Country, string? Region, string? AccountStatus, IReadOnlyDictionary<string, string>? PersonProps = null,
    IReadOnlyDictionary<string, string>? AccountProps = null)
{
    public string EmailDomain => Email[(Email.LastIndexOf('@') + 1)..];
}

public enum FieldKind { Text, Number, Flag }

/// <summary>The fields a fit rule may name. Custom properties are "person.prop.NAME" and "account.prop.NAME".</summary>
public static class FitFields
{
    /// <summary>Free-mail providers: a personal address says little about a company buying.</summary>
    public static readonly HashSet<string> PersonalDomains = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "hotmail.com", "hotmail.co.uk", "outlook.com",
        "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.de", "gmx.net", "web.de",
        "proton.me", "protonmail.com", "mail.com", "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com", "fastmail.com",
    };

    private static readonly Dictionary<string, (FieldKind Kind, Func<FitSubject, object?> Read)> Known = new(StringComparer.Ordinal)
    {
        ["person.title"] = (FieldKind.Text, s => s.Title),
        ["person.emailDomain"] = (FieldKind.Text, s => s.EmailDomain),
        ["person.personalEmail"] = (FieldKind.Flag, s => PersonalDomains.Contains(s.EmailDomain)),
        ["person.sourceChannel"] = (FieldKind.Text, s => s.SourceChannel?.ToString()),
        ["account.industry"] = (FieldKind.Text, s => s.Industry),
        ["account.employees"] = (FieldKind.Number, s => s.Employees),
        ["account.annualRevenue"] = (FieldKind.Number, s => s.AnnualRevenue),
        ["account.country"] = (FieldKind.Text, s => s.Country),
        ["account.region"] = (FieldKind.Text, s => s.Region),
        ["account.status"] = (FieldKind.Text, s => s.AccountStatus),
    };

    public const string PersonProp = "person.prop.", AccountProp = "account.prop.";

    public static IEnumerable<string> Names => Known.Keys;

    public static FieldKind? KindOf(string field) =>
        Known.TryGetValue(field, out var f) ? f.Kind
        : (field.StartsWith(PersonProp, StringComparison.Ordinal) && field.Length > PersonProp.Length)
          || (field.StartsWith(AccountProp, StringComparison.Ordinal) && field.Length > AccountProp.Length) ? FieldKind.Text
        : null;

    public static object? Read(FitSubject s, string field)
    {
        if (Known.TryGetValue(field, out var f)) return f.Read(s);
        if (field.StartsWith(PersonProp, StringComparison.Ordinal)) return s.PersonProps?.GetValueOrDefault(field[PersonProp.Length..]);
        if (field.StartsWith(AccountProp, StringComparison.Ordinal)) return s.AccountProps?.GetValueOrDefault(field[AccountProp.Length..]);
        return null;
    }

    public static readonly string[] StudentWords = ["student", "undergraduate", "phd candidate", "graduate assistant"];
    public static readonly string[] JobSeekerWords = ["job seeker", "jobseeker", "seeking", "looking for work", "open to work", "unemployed"];
}
