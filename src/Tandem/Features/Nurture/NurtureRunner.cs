using Microsoft.EntityFrameworkCore;
using NodaTime;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Calendars;
using Tandem.Features.Insight;
using Tandem.Features.People;

namespace Tandem.Features.Nurture;

/// <param name="Reengaged">Recycled people whose re-engage date arrived and who were re-evaluated through Lifecycle.</param>
/// <param name="Requalified">Of those, how many went back to sales as MQLs.</param>
public sealed record RunResult(int Reengaged, int Requalified, int Exited, int Enrolled, int Queued, int Sent);

/// <summary>
/// One pass of nurture (decision 0072), safe with any number of instances because every step claims its work in the database:
/// (1) recycled people whose re-engage date arrived are re-evaluated through Lifecycle (a watermark moved by a conditional
/// update); (2) enrolments whose person left the stage end with the reason; (3) people matching an active track are enrolled
/// (unique per track and person); (4) due enrolments advance (a conditional update on the step), queueing a send per message
/// step (unique per enrolment and step); (5) <see cref="NurtureMailer"/> sends the queue.
/// </summary>
public sealed class NurtureRunner(IServiceScopeFactory scopes, NurtureMailer mailer, NurtureKeys keys, NurtureOptions options, Personas personas)
{
    public const int AdvanceBatch = 500;

    public async Task<RunResult> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        db.Actor = "nurture";
        var (reengaged, requalified) = await ReengageAsync(db, ct);
        var exited = await ExitAsync(db, ct);
        var enrolled = await EnrolAsync(db, ct);
        var queued = await AdvanceAsync(db, ct);
        var sent = await mailer.SendDueAsync(ct);
        return new RunResult(reengaged, requalified, exited, enrolled, queued, sent);
    }

    /// <summary>Step 1: the watermark is claimed first, so each arrival is re-evaluated by one instance once.</summary>
    public static async Task<(int, int)> ReengageAsync(TandemDb db, CancellationToken ct)
    {
        var state = await NurtureLinks.StateAsync(db, ct);
        var now = db.UtcNow;
        if (await db.NurtureState.Where(s => s.Id == 1 && s.ReengagedThrough == state.ReengagedThrough)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReengagedThrough, now), ct) != 1) return (0, 0);
        var ids = await db.People.AsNoTracking().Where(p => p.Stage == LifecycleStage.Nurture && p.ReengageAt != null
            && p.ReengageAt > state.ReengagedThrough && p.ReengageAt <= now).Select(p => p.Id).ToListAsync(ct);
        if (ids.Count == 0) return (0, 0);
        var mqls = await TransientRetry.InTransactionAsync(db, token => Lifecycle.Transitions.ReengageAsync(db, ids, token), ct);
        return (ids.Count, mqls);
    }

    /// <summary>Step 2: active enrolments whose person moved out of the track's stage, or whose address is suppressed.</summary>
    private static async Task<int> ExitAsync(TandemDb db, CancellationToken ct)
    {
        var tracks = await TracksAsync(db, activeOnly: false, ct);
        var rows = await (from e in db.NurtureEnrolments.AsNoTracking()
                          join p in db.People on e.PersonId equals p.Id
                          where e.Status == EnrolmentStatus.Active
                          select new { e.Id, e.TrackId, p.Stage, Suppressed = db.EmailSuppressions.Where(s => s.Email == p.Email).Select(s => (SuppressionReason?)s.Reason).FirstOrDefault() })
            .ToListAsync(ct);
        var exits = new List<(long Id, string Reason)>();
        foreach (var r in rows)
        {
            if (r.Suppressed is { } why) exits.Add((r.Id, why == SuppressionReason.Unsubscribed ? ExitReasons.Unsubscribed : ExitReasons.Bounced));
            else if (tracks.TryGetValue(r.TrackId, out var t) && EnrolRules.ExitFor(t.Content.Enrol, r.Stage) is { } reason) exits.Add((r.Id, reason));
        }
        foreach (var group in exits.GroupBy(x => x.Reason))
            await EndAsync(db, [.. group.Select(x => x.Id)], EnrolmentStatus.Exited, group.Key, ct);
        return exits.Count;
    }

    public static async Task EndAsync(TandemDb db, IReadOnlyList<long> ids, EnrolmentStatus status, string? reason, CancellationToken ct)
    {
        var now = db.UtcNow;
        foreach (var chunk in ids.Chunk(1000))
            await db.NurtureEnrolments.Where(e => chunk.Contains(e.Id) && e.Status == EnrolmentStatus.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, status).SetProperty(e => e.ExitReason, reason).SetProperty(e => e.EndedAt, now), ct);
        db.Changes.Table("nurture_enrolments");
    }

    internal sealed record LoadedTrack(NurtureTrack Row, TrackContent Content);

    internal static async Task<Dictionary<int, LoadedTrack>> TracksAsync(TandemDb db, bool activeOnly, CancellationToken ct) =>
        (await db.NurtureTracks.AsNoTracking().Where(t => !activeOnly || t.Status == TrackStatus.Active).OrderBy(t => t.Id).ToListAsync(ct))
        .ToDictionary(t => t.Id, t => new LoadedTrack(t, TrackContent.Parse(t.Content)));

    /// <summary>Step 3: everyone in a nurtured stage, matched against the active tracks in id order; a person is in one track at a time.</summary>
    public async Task<int> EnrolAsync(TandemDb db, CancellationToken ct)
    {
        var tracks = (await TracksAsync(db, activeOnly: true, ct)).Values.ToList();
        if (tracks.Count == 0) return 0;
        var def = await ActiveDefinition.LoadAsync(db, ct);
        var picked = await Candidates.PickAsync(db, personas, tracks.Select(t => (t.Row.Id, t.Content.Enrol)).ToList(), def?.Content.Qualify.Threshold ?? int.MaxValue,
            options.RequireConsent, await Candidates.EnrolledAsync(db, ct), ct);
        if (picked.Count == 0) return 0;
        var now = db.UtcNow;
        var (sql, parameters) = RawSql.Insert("nurture_enrolments", ("TrackId", System.Data.DbType.Int32), ("PersonId", System.Data.DbType.Int32),
            ("StepIndex", System.Data.DbType.Int32), ("DueAt", RawSql.TimeType(db)), ("Status", System.Data.DbType.String), ("EnrolledAt", RawSql.TimeType(db)));
        var at = RawSql.Time(db, now);
        var made = 0;
        foreach (var chunk in picked.Chunk(5000))
            made += (await RawSql.InsertEachAsync(db, sql + " ON CONFLICT DO NOTHING", parameters,
                [.. chunk.Select(p => new object?[] { p.TrackId, p.PersonId, 0, at, nameof(EnrolmentStatus.Active), at })], ct)).Count(x => x);
        if (made > 0) db.Changes.Table("nurture_enrolments");
        return made;
    }

    /// <summary>Step 4: due enrolments, a batch at a time, each claimed by a conditional update of its step in the transaction that queues its sends.</summary>
    public async Task<int> AdvanceAsync(TandemDb db, CancellationToken ct)
    {
        var tracks = await TracksAsync(db, activeOnly: true, ct);
        if (tracks.Count == 0) return 0;
        var links = await keys.LinksAsync(db, ct);
        var holidays = (await WorkCalendars.HolidaysAsync(db, ct)).Select(LocalDate.FromDateOnly);
        var calendar = BusinessCalendar.Uniform(options.TimeZone, [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday],
            new LocalTime(9, 0), new LocalTime(17, 0), holidays);
        var activeIds = tracks.Keys.ToList();
        var queued = 0;
        long after = 0;
        while (true)
        {
            var now = db.UtcNow;
            var due = await db.NurtureEnrolments.AsNoTracking().Where(e => e.Status == EnrolmentStatus.Active && e.DueAt <= now && activeIds.Contains(e.TrackId) && e.Id > after)
                .OrderBy(e => e.Id).Take(AdvanceBatch).ToListAsync(ct);
            if (due.Count == 0) return queued;
            after = due[^1].Id;
            queued += await TransientRetry.InTransactionAsync(db, token => AdvanceBatchAsync(db, tracks, due, links, calendar, token), ct);
            db.ChangeTracker.Clear();
        }
    }

    private async Task<int> AdvanceBatchAsync(TandemDb db, Dictionary<int, LoadedTrack> tracks, List<NurtureEnrolment> due, NurtureLinks links,
        BusinessCalendar calendar, CancellationToken ct)
    {
        var now = db.UtcNow;
        var ids = due.Select(e => e.PersonId).ToList();
        var people = await Mailable.LoadAsync(db, ids, options.RequireConsent, ct);
        var dueIds = due.Select(e => e.Id).ToList();
        var clicked = (await db.NurtureSends.AsNoTracking().Where(s => dueIds.Contains(s.EnrolmentId) && s.ClickedAt != null)
            .Select(s => s.EnrolmentId).ToListAsync(ct)).ToHashSet();
        var sends = new List<NurtureSend>();
        foreach (var e in due)
        {
            var track = tracks[e.TrackId];
            var who = people.GetValueOrDefault(e.PersonId);
            string? exit = who is null ? ExitReasons.NotMailable : who.Blocked ?? EnrolRules.ExitFor(track.Content.Enrol, who.Stage);
            var (index, dueAt) = (e.StepIndex, e.DueAt);
            var mine = new List<NurtureSend>();
            for (var guard = 0; exit is null && index < track.Content.Steps.Length && dueAt <= now && guard < 100; guard++)
            {
                var step = track.Content.Steps[index];
                if (step.Kind == StepKind.Message) mine.Add(Queue(e, track, step, who!, now));
                (index, dueAt) = TrackSchedule.After(track.Content, index, clicked.Contains(e.Id), now, calendar);
            }
            var status = exit is not null ? EnrolmentStatus.Exited : index >= track.Content.Steps.Length ? EnrolmentStatus.Completed : EnrolmentStatus.Active;
            var (oldIndex, oldDue) = (e.StepIndex, e.DueAt);
            DateTime? ended = status == EnrolmentStatus.Active ? null : now;
            var claimed = await db.NurtureEnrolments.Where(x => x.Id == e.Id && x.Status == EnrolmentStatus.Active && x.StepIndex == oldIndex && x.DueAt == oldDue)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.StepIndex, index).SetProperty(x => x.DueAt, dueAt).SetProperty(x => x.Status, status)
                    .SetProperty(x => x.ExitReason, exit).SetProperty(x => x.EndedAt, ended), ct);
            if (claimed == 1) sends.AddRange(mine); // another instance advanced it meanwhile: its sends are the ones that count
        }
        db.NurtureSends.AddRange(sends);
        await db.SaveChangesAsync(ct);
        foreach (var s in sends.Where(s => s.Status == SendStatus.Queued))
        {
            var track = tracks[s.TrackId];
            var variant = track.Content.Find(s.StepKey)!.Variants!.First(v => v.Key == s.Variant);
            var r = MessageTemplate.Render(variant, people[s.PersonId].Values, url => links.ClickUrl(s.Id, url), links.UnsubscribeUrl(s.PersonId), links.OpenUrl(s.Id));
            (s.Subject, s.Html, s.Text, s.Links) = (r.Subject, r.Html, r.Text, string.Join('\n', r.Links));
        }
        await db.SaveChangesAsync(ct);
        db.Changes.Table("nurture_enrolments");
        return sends.Count(s => s.Status == SendStatus.Queued);
    }

    private static NurtureSend Queue(NurtureEnrolment e, LoadedTrack track, Step step, Mailable who, DateTime now)
    {
        var test = step.Test ?? new VariantTest(HoldoutPercent: 0);
        var variant = VariantAssignment.Assign(VariantAssignment.Seed(track.Row.Id, step.Key), e.PersonId, [.. step.Variants!.Select(v => v.Key)], test.HoldoutPercent);
        return new NurtureSend
        {
            EnrolmentId = e.Id, TrackId = e.TrackId, StepKey = step.Key, PersonId = e.PersonId, Variant = variant,
            // Only mailable people are queued, and Mailable.Why refuses anyone without a valid address.
            Email = who.Email!, Subject = "", Text = "",
            Status = variant == VariantAssignment.Control ? SendStatus.Held : SendStatus.Queued, QueuedAt = now, NextAttemptAt = now,
        };
    }
}
