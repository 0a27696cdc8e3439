using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Nurture;

/// <summary>A person as a message needs them: the address, the template's values, and why they may not be mailed (null when they may).</summary>
public sealed record Mailable(int Id, string? Email, LifecycleStage Stage, Dictionary<string, string?> Values, string? Blocked)
{
    /// <summary>
    /// Never mailed: an address that is not valid, one on the suppression list (which no track overrides), a person who withdrew
    /// consent, or, with <see cref="NurtureOptions.RequireConsent"/>, one who never gave it.
    /// </summary>
    public static async Task<Dictionary<int, Mailable>> LoadAsync(TandemDb db, IReadOnlyCollection<int> ids, bool requireConsent, CancellationToken ct)
    {
        var found = new Dictionary<int, Mailable>(ids.Count);
        foreach (var chunk in ids.Distinct().Chunk(1000))
        {
            var rows = await (from p in db.People.AsNoTracking()
                              where chunk.Contains(p.Id)
                              select new
                              {
                                  p.Id, p.Email, p.FirstName, p.LastName, p.Title, p.Stage,
                                  Company = db.Accounts.Where(a => a.Id == p.AccountId).Select(a => a.Name).FirstOrDefault(),
                                  Suppressed = db.EmailSuppressions.Where(s => s.Email == p.Email).Select(s => (SuppressionReason?)s.Reason).FirstOrDefault(),
                                  Consent = db.EmailConsents.Where(c => c.PersonId == p.Id).Select(c => (ConsentState?)c.State).FirstOrDefault(),
                              }).ToListAsync(ct);
            foreach (var r in rows)
                found[r.Id] = new Mailable(r.Id, r.Email, r.Stage, MessageTemplate.Values(r.FirstName, r.LastName, r.Email, r.Title, r.Company),
                    Why(r.Email, r.Suppressed, r.Consent, requireConsent));
        }
        return found;
    }

    public static string? Why(string? email, SuppressionReason? suppressed, ConsentState? consent, bool requireConsent) =>
        !EmailAddress.IsValid(email) ? ExitReasons.NotMailable
        : suppressed is SuppressionReason.Unsubscribed ? ExitReasons.Unsubscribed
        : suppressed is not null ? ExitReasons.Bounced
        : consent == ConsentState.Withdrawn || (requireConsent && consent != ConsentState.Granted) ? ExitReasons.NotMailable
        : null;
}
