using System.Data;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Cryptography;
using Tandem.Data;
using Tandem.Features.Notifications;

namespace Tandem.Features.Nurture;

/// <summary>
/// Sends the nurture queue (<see cref="NurtureSend"/>) over one SMTP connection per batch (decision 0072).
/// <list type="number">
/// <item>A batch is claimed in one statement (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL; SQLite has one writer) with a lease.</item>
/// <item>Each row is marked Sending just before the server gets it, and Sent once the server accepted it. A row found Sending after
/// its lease ran out (the process died mid-send) is marked Uncertain and never sent again: at most once, even after kill -9.
/// Rows claimed but not yet tried go back to the queue.</item>
/// <item>A connection failure or a temporary refusal puts the row (and the rest of the batch) back with backoff; a permanent
/// refusal of the recipient is a hard bounce: the address is suppressed and the enrolment ends.</item>
/// </list>
/// </summary>
public sealed class NurtureMailer(IServiceScopeFactory scopes, SmtpOptions smtp, NurtureOptions options, TimeProvider clock, NurtureKeys keys,
    ILogger<NurtureMailer> log)
{
    private readonly TokenBucket? _bucket = options.PerHour > 0 ? new TokenBucket(options.PerHour / 3600.0, Math.Max(1, options.PerHour / 60.0)) : null;

    /// <summary>Sends what is due until the queue is empty or a cap is reached; returns how many the server accepted.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        if (!smtp.IsConfigured) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        await RecoverAsync(db, ct);
        var sent = 0;
        while (true)
        {
            var n = await BudgetAsync(db, ct);
            if (n == 0) return sent;
            var ids = await ClaimAsync(db, n, ct);
            if (ids.Count == 0) return sent;
            var (accepted, stop) = await SendBatchAsync(db, ids, ct);
            sent += accepted;
            if (stop) return sent;
        }
    }

    /// <summary>Leases that ran out: never-tried rows go back to the queue; rows that were mid-send are Uncertain, not resent.</summary>
    private static async Task RecoverAsync(TandemDb db, CancellationToken ct)
    {
        var now = db.UtcNow;
        await db.NurtureSends.Where(s => s.Status == SendStatus.Claimed && s.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SendStatus.Queued), ct);
        await db.NurtureSends.Where(s => s.Status == SendStatus.Sending && s.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SendStatus.Uncertain)
                .SetProperty(x => x.LastError, "The server stopped while this message was being handed to SMTP; it may have gone, so it is not sent again."), ct);
    }

    private async Task<int> BudgetAsync(TandemDb db, CancellationToken ct)
    {
        var wanted = options.BatchSize;
        var now = db.UtcNow;
        if (options.PerHour > 0 || options.PerDay > 0)
        {
            var hourAgo = now.AddHours(-1);
            var dayAgo = now.AddDays(-1);
            var lastHour = options.PerHour > 0 ? await db.NurtureSends.CountAsync(s => s.SentAt > hourAgo, ct) : 0;
            var lastDay = options.PerDay > 0 ? await db.NurtureSends.CountAsync(s => s.SentAt > dayAgo, ct) : 0;
            wanted = TokenBucket.Budget(wanted, options.PerHour, lastHour, options.PerDay, lastDay);
        }
        if (_bucket is not null) lock (_bucket) wanted = _bucket.Take(wanted, now);
        return wanted;
    }

    private async Task<List<long>> ClaimAsync(TandemDb db, int n, CancellationToken ct)
    {
        var now = db.UtcNow;
        var sql = $"""
            UPDATE nurture_sends SET "Status" = 'Claimed', "NextAttemptAt" = @lease
            WHERE "Id" IN (SELECT "Id" FROM nurture_sends WHERE "Status" = 'Queued' AND "NextAttemptAt" <= @now
                           ORDER BY "NextAttemptAt", "Id" LIMIT {n}{(db.IsSqlite ? "" : " FOR UPDATE SKIP LOCKED")})
            RETURNING "Id"
            """;
        await using var cmd = await RawSql.CommandAsync(db, sql, ct);
        RawSql.Add(cmd, "@lease", RawSql.TimeType(db)).Value = RawSql.Time(db, now + options.Lease);
        RawSql.Add(cmd, "@now", RawSql.TimeType(db)).Value = RawSql.Time(db, now);
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        ids.Sort();
        return ids;
    }

    private async Task<(int Accepted, bool Stop)> SendBatchAsync(TandemDb db, List<long> ids, CancellationToken ct)
    {
        var rows = await db.NurtureSends.AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Id).ToListAsync(ct);
        var links = await keys.LinksAsync(db, ct);
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        var accepted = new List<long>();
        try
        {
            try
            {
                await client.ConnectAsync(smtp.Host!, smtp.Port, Map(smtp.Tls), ct);
                if (!string.IsNullOrWhiteSpace(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            }
            catch (Exception e) when (Transient(e))
            {
                await ReleaseAsync(db, rows, e.Message, ct);
                log.LogWarning("Nurture: cannot reach the SMTP server {Host}:{Port} ({Reason}); {Count} message(s) stay queued.", smtp.Host, smtp.Port, e.Message, rows.Count);
                return (0, true);
            }
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var lease = db.UtcNow + options.Lease;
                if (await db.NurtureSends.Where(s => s.Id == row.Id && s.Status == SendStatus.Claimed && !db.EmailSuppressions.Any(x => x.Email == s.Email))
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SendStatus.Sending).SetProperty(x => x.NextAttemptAt, lease), ct) != 1) continue;
                try
                {
                    await client.SendAsync(ToMime(row, links), ct);
                    accepted.Add(row.Id);
                    if (accepted.Count % 50 == 0) await MarkSentAsync(db, accepted[^50..], ct);
                }
                catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)e.StatusCode >= 500)
                {
                    await BounceAsync(db, row, $"{(int)e.StatusCode} {e.Message.Trim()}", ct);
                }
                catch (Exception e) when (Transient(e))
                {
                    await ReleaseAsync(db, rows.Skip(i), e.Message, ct, retried: row.Id);
                    log.LogWarning("Nurture: sending through {Host}:{Port} failed ({Reason}); the rest of the batch stays queued.", smtp.Host, smtp.Port, e.Message);
                    return (accepted.Count, true);
                }
            }
            await client.DisconnectAsync(quit: true, ct);
            return (accepted.Count, false);
        }
        finally
        {
            await MarkSentAsync(db, accepted[(accepted.Count / 50 * 50)..], CancellationToken.None);
        }
    }

    private static bool Transient(Exception e) => e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException
        or System.Net.Sockets.SocketException or IOException or ServiceNotConnectedException or TimeoutException;

    private async Task MarkSentAsync(TandemDb db, List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        await db.NurtureSends.Where(s => ids.Contains(s.Id) && s.Status == SendStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SendStatus.Sent).SetProperty(x => x.SentAt, now)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.LastError, (string?)null), ct);
    }

    /// <summary>Back to the queue with backoff (1, 2, 4 … 60 minutes); the row that failed counts an attempt, and fails for good after the last.</summary>
    private async Task ReleaseAsync(TandemDb db, IEnumerable<NurtureSend> rows, string why, CancellationToken ct, long? retried = null)
    {
        var now = db.UtcNow;
        foreach (var row in rows)
        {
            var tried = retried is null || row.Id == retried;
            var attempts = row.Attempts + (tried ? 1 : 0);
            var status = attempts >= options.MaxAttempts ? SendStatus.Failed : SendStatus.Queued;
            var next = now + EmailOutbox.Backoff(Math.Max(1, attempts));
            var error = why.Length > 1000 ? why[..1000] : why;
            await db.NurtureSends.Where(s => s.Id == row.Id && (s.Status == SendStatus.Claimed || s.Status == SendStatus.Sending))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, status).SetProperty(x => x.Attempts, attempts)
                    .SetProperty(x => x.NextAttemptAt, next).SetProperty(x => x.LastError, error), ct);
        }
    }

    /// <summary>A permanent refusal of the address: failed, suppressed (no track mails it again), the enrolment ended.</summary>
    private static async Task BounceAsync(TandemDb db, NurtureSend row, string why, CancellationToken ct)
    {
        await db.NurtureSends.Where(s => s.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SendStatus.Failed)
            .SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.LastError, why.Length > 1000 ? why[..1000] : why), ct);
        await Suppressions.AddAsync(db, row.Email, SuppressionReason.HardBounce, row.PersonId, why, ct);
    }

    /// <summary>The MIME message for a send: both parts, the RFC 8058 headers, a Message-Id fixed per row, DKIM when configured.</summary>
    public MimeMessage ToMime(NurtureSend row, NurtureLinks links)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(smtp.FromName, smtp.From!));
        mime.To.Add(MailboxAddress.Parse(row.Email));
        mime.Subject = row.Subject;
        var domain = smtp.From!.Split('@')[^1];
        mime.MessageId = $"tandem-nurture-{row.Id}-{row.QueuedAt.Ticks}@{domain}";
        var token = links.UnsubscribeToken(row.PersonId);
        var mailbox = options.UnsubscribeMailbox ?? $"unsubscribe@{domain}";
        mime.Headers.Add("List-Unsubscribe", $"<{links.UnsubscribeUrl(row.PersonId)}>, <mailto:{mailbox}?subject=unsubscribe%20{token}>");
        mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        mime.Body = new BodyBuilder { TextBody = row.Text, HtmlBody = row.Html }.ToMessageBody();
        if (options.DkimKeyFile is { } keyFile)
        {
            var signer = new DkimSigner(keyFile, options.DkimDomain!, options.DkimSelector!)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed, BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            mime.Prepare(EncodingConstraint.SevenBit);
            signer.Sign(mime, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost]);
        }
        return mime;
    }

    private static SecureSocketOptions Map(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
