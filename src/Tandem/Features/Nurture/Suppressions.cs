using System.Data;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Nurture;

/// <summary>The suppression list: an address on it is never mailed by any track. Adding is idempotent; it ends the person's enrolments.</summary>
public static class Suppressions
{
    public static async Task<bool> AddAsync(TandemDb db, string email, SuppressionReason reason, int? personId, string? note, CancellationToken ct)
    {
        var address = EmailAddress.Normalize(email);
        var (sql, parameters) = RawSql.Insert("email_suppressions", ("Email", DbType.String), ("Reason", DbType.String), ("PersonId", DbType.Int32),
            ("At", RawSql.TimeType(db)), ("Note", DbType.String));
        var added = (await RawSql.InsertEachAsync(db, sql + " ON CONFLICT DO NOTHING", parameters,
            [[address, reason.ToString(), personId, RawSql.Time(db, db.UtcNow), note is { Length: > 500 } ? note[..500] : note]], ct))[0];
        var who = personId is { } id ? [id] : await db.People.Where(p => p.Email == address).Select(p => p.Id).ToListAsync(ct);
        var enrolments = await db.NurtureEnrolments.Where(e => who.Contains(e.PersonId) && e.Status == EnrolmentStatus.Active).Select(e => e.Id).ToListAsync(ct);
        await NurtureRunner.EndAsync(db, enrolments, EnrolmentStatus.Exited,
            reason == SuppressionReason.Unsubscribed ? ExitReasons.Unsubscribed : ExitReasons.Bounced, ct);
        // Queued messages to the address are dropped too: the list wins over anything already in the queue.
        await db.NurtureSends.Where(s => s.Email == address && (s.Status == SendStatus.Queued || s.Status == SendStatus.Claimed))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SendStatus.Skipped).SetProperty(x => x.LastError, $"The address is suppressed ({reason})."), ct);
        db.Changes.Table("email_suppressions");
        return added;
    }
}
