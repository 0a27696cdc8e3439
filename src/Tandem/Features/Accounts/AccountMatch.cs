using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Accounts;

/// <summary>People belong to the account whose domain matches their email's domain.</summary>
public static class AccountMatch
{
    public static async Task<int?> ByEmailAsync(TandemDb db, string normalizedEmail, CancellationToken ct)
    {
        var domain = EmailAddress.Domain(normalizedEmail);
        return await db.Accounts.Where(a => a.Domain == domain).OrderBy(a => a.Id).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Lower-case host without "www." or a scheme: "https://www.Acme.com/" becomes "acme.com".</summary>
    public static string? NormalizeDomain(string? domainOrUrl)
    {
        if (string.IsNullOrWhiteSpace(domainOrUrl)) return null;
        var s = domainOrUrl.Trim().ToLowerInvariant();
        if (s.Contains("://") && Uri.TryCreate(s, UriKind.Absolute, out var uri)) s = uri.Host;
        s = s.Split('/')[0];
        return s.StartsWith("www.") ? s[4..] : s;
    }
}
