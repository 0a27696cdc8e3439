using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Nurture;

public enum Measure { Assigned, Sent, Delivered, Opened, Clicked, Replied, Unsubscribed, Bounced, Requalified, Rewarded }

/// <summary>One variant of one message step: each measure as defined in docs/metrics.md (Nurture), with its records behind it.</summary>
public sealed record VariantRow(string Variant, int Assigned, int Sent, int Delivered, int Opened, int Clicked, int Replied, int Unsubscribed, int Bounced,
    int Requalified, int Rewarded);

public sealed record StepResults(string StepKey, Reward Reward, IReadOnlyList<VariantRow> Variants, TestVerdict? Test);

public sealed record TrackResults(int TrackId, string Name, int Enrolled, int Active, IReadOnlyDictionary<string, int> Exits, IReadOnlyList<StepResults> Steps);

/// <summary>
/// Per track, step and variant: what went out and what came of it. Each send is classified once (<see cref="Classify"/>), so the
/// counts and the drill-down records cannot disagree.
/// </summary>
public static class NurtureResults
{
    /// <summary>Touches that count as a reply: the person answered or met, which a click alone is not.</summary>
    public static readonly TouchType[] ReplyTypes = [TouchType.Meeting, TouchType.Call, TouchType.ContactRequest, TouchType.DemoRequest];

    private sealed record SendFacts(long Id, int PersonId, string StepKey, string Variant, SendStatus Status, DateTime QueuedAt, DateTime? SentAt,
        DateTime? OpenedAt, DateTime? ClickedAt);

    private sealed record Outcomes(Dictionary<int, List<DateTime>> Mqls, Dictionary<int, List<DateTime>> Replies, Dictionary<int, (SuppressionReason Reason, DateTime At)> Suppressed);

    public static async Task<TrackResults?> ForTrackAsync(TandemDb db, int trackId, CancellationToken ct)
    {
        var track = await db.NurtureTracks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == trackId, ct);
        if (track is null) return null;
        var content = TrackContent.Parse(track.Content);
        var (sends, outcomes) = await LoadAsync(db, trackId, ct);
        var enrolments = await db.NurtureEnrolments.AsNoTracking().Where(e => e.TrackId == trackId).Select(e => new { e.Status, e.ExitReason }).ToListAsync(ct);
        var steps = new List<StepResults>();
        foreach (var step in content.Steps.Where(s => s.Kind == StepKind.Message))
        {
            var test = step.Test ?? new VariantTest(HoldoutPercent: 0);
            var keys = step.Variants!.Select(v => v.Key).Prepend(VariantAssignment.Control).ToList();
            var rows = keys.Select(k =>
            {
                var mine = sends.Where(s => s.StepKey == step.Key && s.Variant == k).Select(s => Classify(s, test, outcomes)).ToList();
                int C(Measure m) => mine.Count(x => x.Contains(m));
                return new VariantRow(k, C(Measure.Assigned), C(Measure.Sent), C(Measure.Delivered), C(Measure.Opened), C(Measure.Clicked), C(Measure.Replied),
                    C(Measure.Unsubscribed), C(Measure.Bounced), C(Measure.Requalified), C(Measure.Rewarded));
            }).Where(r => r.Variant != VariantAssignment.Control || test.HoldoutPercent > 0).ToList();
            var verdict = rows.Count(r => r.Variant != VariantAssignment.Control) + (test.HoldoutPercent > 0 ? 1 : 0) >= 2
                ? VariantStats.Decide(test, [.. rows.Select(r => new Arm(r.Variant, r.Assigned, r.Rewarded))])
                : null;
            steps.Add(new StepResults(step.Key, test.Reward, rows, verdict));
        }
        return new TrackResults(track.Id, track.Name, enrolments.Count, enrolments.Count(e => e.Status == EnrolmentStatus.Active),
            enrolments.Where(e => e.ExitReason != null).GroupBy(e => e.ExitReason!).ToDictionary(g => g.Key, g => g.Count()), steps);
    }

    /// <summary>The people behind one number.</summary>
    public static async Task<List<int>> RecordsAsync(TandemDb db, int trackId, string stepKey, string variant, Measure measure, CancellationToken ct)
    {
        var track = await db.NurtureTracks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == trackId, ct);
        if (track is null || TrackContent.Parse(track.Content).Find(stepKey) is not { } step) return [];
        var (sends, outcomes) = await LoadAsync(db, trackId, ct);
        var test = step.Test ?? new VariantTest(HoldoutPercent: 0);
        return [.. sends.Where(s => s.StepKey == stepKey && s.Variant == variant && Classify(s, test, outcomes).Contains(measure)).Select(s => s.PersonId)];
    }

    private static async Task<(List<SendFacts>, Outcomes)> LoadAsync(TandemDb db, int trackId, CancellationToken ct)
    {
        var sends = await db.NurtureSends.AsNoTracking().Where(s => s.TrackId == trackId)
            .Select(s => new SendFacts(s.Id, s.PersonId, s.StepKey, s.Variant, s.Status, s.QueuedAt, s.SentAt, s.OpenedAt, s.ClickedAt)).ToListAsync(ct);
        var people = sends.Select(s => s.PersonId).Distinct().ToList();
        var since = sends.Count == 0 ? DateTime.MaxValue : sends.Min(s => s.QueuedAt);
        var mqls = new Dictionary<int, List<DateTime>>();
        var replies = new Dictionary<int, List<DateTime>>();
        var suppressed = new Dictionary<int, (SuppressionReason, DateTime)>();
        foreach (var chunk in people.Chunk(2000))
        {
            foreach (var c in await db.StageChanges.AsNoTracking().Where(c => chunk.Contains(c.PersonId) && c.To == LifecycleStage.MQL && c.At >= since)
                         .Select(c => new { c.PersonId, c.At }).ToListAsync(ct))
                Add(mqls, c.PersonId, c.At);
            foreach (var t in await db.Touches.AsNoTracking().Where(t => chunk.Contains(t.PersonId) && ReplyTypes.Contains(t.Type) && t.OccurredAt >= since)
                         .Select(t => new { t.PersonId, t.OccurredAt }).ToListAsync(ct))
                Add(replies, t.PersonId, t.OccurredAt);
            foreach (var s in await (from x in db.EmailSuppressions.AsNoTracking() join p in db.People on x.Email equals p.Email
                                     where chunk.Contains(p.Id) select new { p.Id, x.Reason, x.At }).ToListAsync(ct))
                suppressed[s.Id] = (s.Reason, s.At);
        }
        return (sends, new Outcomes(mqls, replies, suppressed));
    }

    private static void Add(Dictionary<int, List<DateTime>> d, int id, DateTime at)
    {
        if (!d.TryGetValue(id, out var list)) d[id] = list = [];
        list.Add(at);
    }

    /// <summary>Which measures one send (or hold-out assignment) counts in. Outcomes count from the assignment on: the control gets
    /// no message, so its clock starts where a message would have gone.</summary>
    private static HashSet<Measure> Classify(SendFacts s, VariantTest test, Outcomes o)
    {
        var m = new HashSet<Measure> { Measure.Assigned };
        var from = s.QueuedAt;
        var window = from.AddDays(test.MqlDays);
        if (s.Status is SendStatus.Sent or SendStatus.Uncertain) m.Add(Measure.Sent);
        var bounced = s.Status == SendStatus.Failed && o.Suppressed.TryGetValue(s.PersonId, out var b) && b.Reason is SuppressionReason.HardBounce or SuppressionReason.Complaint;
        if (bounced) m.Add(Measure.Bounced);
        if (m.Contains(Measure.Sent) && !(o.Suppressed.TryGetValue(s.PersonId, out var c) && c.Reason == SuppressionReason.Complaint)) m.Add(Measure.Delivered);
        if (s.OpenedAt is not null) m.Add(Measure.Opened);
        if (s.ClickedAt is not null) m.Add(Measure.Clicked);
        if (o.Replies.TryGetValue(s.PersonId, out var r) && r.Any(at => at >= from && at <= window)) m.Add(Measure.Replied);
        if (o.Suppressed.TryGetValue(s.PersonId, out var u) && u.Reason == SuppressionReason.Unsubscribed && u.At >= from && u.At <= window) m.Add(Measure.Unsubscribed);
        if (o.Mqls.TryGetValue(s.PersonId, out var q) && q.Any(at => at >= from && at <= window)) m.Add(Measure.Requalified);
        if (test.Reward switch { Reward.Click => m.Contains(Measure.Clicked), Reward.Reply => m.Contains(Measure.Replied), _ => m.Contains(Measure.Requalified) })
            m.Add(Measure.Rewarded);
        return m;
    }
}
