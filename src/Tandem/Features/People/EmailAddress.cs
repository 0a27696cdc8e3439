using System.Net.Mail;

namespace Tandem.Features.People;

public static class EmailAddress
{
    /// <summary>Trimmed and lower-cased: "Ann@Acme.COM " and "ann@acme.com" are one person.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>True for a plain address with a dotted domain ("ann@acme.com"); display names and bare hosts are refused.</summary>
    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 320) return false;
        var e = email.Trim();
        if (!MailAddress.TryCreate(e, out var parsed) || parsed.Address != e) return false;
        var at = e.LastIndexOf('@');
        var domain = e[(at + 1)..];
        return at > 0 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !e.Any(char.IsWhiteSpace);
    }

    public static string Domain(string normalizedEmail) => normalizedEmail[(normalizedEmail.LastIndexOf('@') + 1)..];
}
