using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Calendars;
using Tandem.Features.People;

namespace Tandem.Features.Handoffs;

/// <param name="Pending">Leads with no deadline come due yet: left out of <see cref="Compliance"/>.</param>
/// <param name="Compliance">Met ÷ (met + breached); null when neither.</param>
/// <param name="FirstTouchMedianHours">Business hours (the assignee's calendar) from handover to the first attempt.</param>
/// <param name="FirstTouchBreached">Leads whose first-touch deadline was missed (kept late or not at all); likewise for the
/// attempts and the decision. A lead can miss several, so these may add up to more than <see cref="Breached"/>.</param>
public sealed record ComplianceRow(string Key, string Label, int Leads, int Met, int Breached, int Pending, double? Compliance,
    double? FirstTouchMedianHours, double? FirstTouchP90Hours, double AttemptsPerLead, int Accepted, int Rejected,
    int FirstTouchBreached, int AttemptsBreached, int DecisionBreached);

/// <param name="CampaignId">Null for leads without a source campaign (the drill-down's "none").</param>
public sealed record RejectionRow(string Reason, string Label, string Channel, string Campaign, int Count, int? CampaignId);

public sealed record MarketingWeek(DateOnly Week, int Mqls, int Sals, int? MqlTarget, int? SalTarget, bool? MqlsMet, bool? SalsMet);

/// <summary>One move behind a marketing SLA count; <see cref="HandoffId"/> is the lead it opened or continued, if routed.</summary>
public sealed record StageMoveRow(int PersonId, string Person, string? Account, string? Channel, DateTime At,
    LifecycleStage? From, LifecycleStage To, string Cause, string Actor, int? HandoffId);

public sealed record RecycledRow(int HandoffId, int PersonId, string Person, string Reason, DateTime RejectedAt, DateTime? ReengageAt, bool Requalified);

public sealed record SlaReportDto(DateTime From, DateTime To, ComplianceRow Total, IReadOnlyList<ComplianceRow> ByRep, IReadOnlyList<ComplianceRow> ByTeam,
    IReadOnlyList<ComplianceRow> ByWeek, IReadOnlyList<RejectionRow> Rejections, IReadOnlyList<RecycledRow> Recycled, IReadOnlyList<MarketingWeek> Marketing);

/// <summary>
/// The SLA report over leads handed over in [from, to): compliance by rep, team and week, time to first touch, attempts
/// per lead, rejection reasons by channel and campaign, recycled leads, and the marketing SLA (MQLs and SALs per week
/// against a weekly target). Every figure is defined in docs/metrics.md.
/// </summary>
public static class SlaReport
{
    public static async Task<SlaReportDto> RunAsync(TandemDb db, DateTime from, DateTime to, int? mqlTarget, int? salTarget, CancellationToken ct)
    {
        var now = db.UtcNow;
        var rows = await PeriodAsync(db, from, to, ct);
        var personIds = rows.Select(h => h.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Email, p.ExternalId, p.FirstName, p.LastName, p.SourceChannel, p.SourceCampaignId, p.ReengageAt, p.Stage }).ToDictionaryAsync(p => p.Id, ct);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, ct);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var campaigns = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var reasons = await db.RejectReasons.AsNoTracking().ToDictionaryAsync(r => r.Code, ct);
        var labels = reasons.Values.ToDictionary(r => r.Code, r => r.Label);
        var holidays = await WorkCalendars.HolidaysAsync(db, ct);
        var calendars = new Dictionary<int, BusinessCalendar>();
        BusinessCalendar CalendarOf(int? id)
        {
            if (id is not { } uid || !users.TryGetValue(uid, out var u)) return HandoffAssigner.Standard;
            if (calendars.TryGetValue(uid, out var c)) return c;
            try { c = WorkCalendars.For(u, holidays); } catch (ArgumentException) { c = HandoffAssigner.Standard; }
            return calendars[uid] = c;
        }
        var facts = rows.Select(h => new Fact(h, SlaMath.Outcome(h, now),
            h.FirstTouchAt is { } t ? CalendarOf(h.AssigneeId).BusinessTimeBetween(h.AssignedAt, t).TotalHours : null, SlaMath.BreachedClauses(h, now))).ToList();

        var byRep = facts.GroupBy(f => f.H.AssigneeId).Select(g => Row(g.Key?.ToString() ?? "none",
            g.Key is { } id && users.TryGetValue(id, out var u) ? u.Name : "Unassigned", g)).OrderBy(r => r.Label).ToList();
        var byTeam = facts.GroupBy(f => f.H.TeamId).Select(g => Row(g.Key?.ToString() ?? "none",
            g.Key is { } id ? teams.GetValueOrDefault(id, $"Team {id}") : "No team", g)).OrderBy(r => r.Label).ToList();
        var byWeek = facts.GroupBy(f => SlaMath.WeekOf(f.H.AssignedAt)).OrderBy(g => g.Key)
            .Select(g => Row(g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), SlaMath.WeekLabel(g.Key), g)).ToList();

        var rejections = rows.Where(h => h.State == HandoffState.Rejected && h.RejectReason is not null)
            .GroupBy(h => (h.RejectReason!, people[h.PersonId].SourceChannel?.ToString() ?? "Unknown", people[h.PersonId].SourceCampaignId))
            .Select(g => new RejectionRow(g.Key.Item1, Reasons.Label(g.Key.Item1, labels)!, g.Key.Item2,
                g.Key.Item3 is { } c ? campaigns.GetValueOrDefault(c, $"Campaign {c}") : "No campaign", g.Count(), g.Key.Item3))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason).ThenBy(r => r.Channel).ToList();

        var recycledRows = rows.Where(h => h.State == HandoffState.Rejected && h.RejectReason is { } r && reasons.GetValueOrDefault(r)?.Recycles == true).ToList();
        var recycledIds = recycledRows.Select(h => h.PersonId).ToList();
        var requalified = (await db.Handoffs.AsNoTracking().Where(h => recycledIds.Contains(h.PersonId)).Select(h => new { h.PersonId, h.AssignedAt }).ToListAsync(ct))
            .ToLookup(h => h.PersonId, h => h.AssignedAt);
        var recycled = recycledRows.Select(h =>
        {
            var p = people[h.PersonId];
            var name = Names.Person(p.FirstName, p.LastName, p.Email, p.ExternalId, p.Id);
            return new RecycledRow(h.Id, h.PersonId, name, reasons[h.RejectReason!].Label, h.DecidedAt!.Value,
                p.Stage == LifecycleStage.Nurture ? p.ReengageAt : null, requalified[h.PersonId].Any(a => a > h.AssignedAt));
        }).OrderByDescending(r => r.RejectedAt).ToList();

        var stages = await db.StageChanges.AsNoTracking().Where(c => c.At >= from && c.At < to && (c.To == LifecycleStage.MQL || c.To == LifecycleStage.SAL))
            .Select(c => new { c.To, c.At }).ToListAsync(ct);
        var weeks = stages.GroupBy(s => SlaMath.WeekOf(s.At)).ToDictionary(g => g.Key, g => (Mql: g.Count(x => x.To == LifecycleStage.MQL), Sal: g.Count(x => x.To == LifecycleStage.SAL)));
        var marketing = new List<MarketingWeek>();
        var planned = mqlTarget is null || salTarget is null ? await Plan.PlanTargets.WeeklyAsync(db, ct) : [];
        for (var w = SlaMath.WeekOf(from); w.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) < to; w = w.AddDays(7))
        {
            var (m, s) = weeks.GetValueOrDefault(w);
            // A target given with the request wins; otherwise the approved plan's target for that week, if a plan covers it.
            var p = planned.GetValueOrDefault(w);
            var (mt, st) = (mqlTarget ?? p?.Mql, salTarget ?? p?.Sal);
            marketing.Add(new MarketingWeek(w, m, s, mt, st, mt is { } a ? m >= a : null, st is { } b ? s >= b : null));
        }
        return new SlaReportDto(from, to, Row("all", "All leads", facts), byRep, byTeam, byWeek, rejections, recycled, marketing);
    }

    /// <summary>The leads handed over in [from, to): the report's population, and every drill-down's.</summary>
    private static Task<List<Handoff>> PeriodAsync(TandemDb db, DateTime from, DateTime to, CancellationToken ct) =>
        db.Handoffs.AsNoTracking().Where(h => h.AssignedAt >= from && h.AssignedAt < to).ToListAsync(ct);

    /// <summary>
    /// The leads behind one number of the report: the same population and the same tests (<see cref="SlaDrill"/>), so a
    /// list opened from a count of 7 has 7 rows. Rejection cells narrow further by reason, channel and campaign.
    /// </summary>
    public static async Task<List<HandoffDto>> DrillAsync(TandemDb db, DateTime from, DateTime to, SlaDrill drill, CancellationToken ct)
    {
        var now = db.UtcNow;
        var rows = (await PeriodAsync(db, from, to, ct)).Where(h => drill.Matches(h, now)).ToList();
        if (drill.Measure is "recycled" or "requalified")
        {
            // The report's test for its recycled list: a reason that recycles; requalified adds a later handoff.
            var recycles = await db.RejectReasons.AsNoTracking().Where(r => r.Recycles).Select(r => r.Code).ToListAsync(ct);
            rows = [.. rows.Where(h => h.RejectReason is { } r && recycles.Contains(r))];
            if (drill.Measure == "requalified")
            {
                var ids = rows.Select(h => h.PersonId).ToList();
                var later = (await db.Handoffs.AsNoTracking().Where(h => ids.Contains(h.PersonId)).Select(h => new { h.PersonId, h.AssignedAt }).ToListAsync(ct))
                    .ToLookup(h => h.PersonId, h => h.AssignedAt);
                rows = [.. rows.Where(h => later[h.PersonId].Any(a => a > h.AssignedAt))];
            }
        }
        if (drill.Channel is not null || drill.Campaign is not null)
        {
            var ids = rows.Select(h => h.PersonId).ToList();
            var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new { p.SourceChannel, p.SourceCampaignId }, ct);
            rows = [.. rows.Where(h => (drill.Channel is null || (people[h.PersonId].SourceChannel?.ToString() ?? "Unknown") == drill.Channel)
                && (drill.Campaign is null || (people[h.PersonId].SourceCampaignId?.ToString(CultureInfo.InvariantCulture) ?? "none") == drill.Campaign))];
        }
        return [.. (await HandoffQueries.DtosAsync(db, rows, ct)).OrderByDescending(h => h.AssignedAt).ThenBy(h => h.Id)];
    }

    /// <summary>
    /// The moves behind a marketing SLA count: people who entered the drill's stage in [from, to), narrowed to one week
    /// when the drill names one. The same window and test as <see cref="RunAsync"/>'s weekly counts, so a week's 12 MQLs
    /// open 12 rows (a person who became an MQL twice that week is listed twice, as they are counted twice).
    /// </summary>
    public static async Task<List<StageMoveRow>> MovesAsync(TandemDb db, DateTime from, DateTime to, SlaDrill drill, CancellationToken ct)
    {
        if (drill.Stage is not { } stage) return [];
        var (f, t) = (from, to);
        if (drill.By == "week")
        {
            if (!DateOnly.TryParseExact(drill.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var w)) return [];
            var start = w.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            (f, t) = (start > from ? start : from, start.AddDays(7) < to ? start.AddDays(7) : to);
        }
        var moves = await db.StageChanges.AsNoTracking().Where(c => c.At >= f && c.At < t && c.To == stage)
            .Select(c => new { c.Id, c.PersonId, c.At, c.From, c.To, c.Cause, c.Actor }).ToListAsync(ct);
        var ids = moves.Select(m => m.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.FirstName, p.LastName, p.Email, p.ExternalId, p.AccountId, p.SourceChannel }).ToDictionaryAsync(p => p.Id, ct);
        var accountIds = people.Values.Select(p => p.AccountId).OfType<int>().Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        // The handoff the move belongs to (the latest one handed over by then), so the row can open the lead page.
        var handoffs = (await db.Handoffs.AsNoTracking().Where(h => ids.Contains(h.PersonId)).Select(h => new { h.Id, h.PersonId, h.MqlAt }).ToListAsync(ct))
            .ToLookup(h => h.PersonId);
        return [.. moves.Select(m =>
        {
            var p = people[m.PersonId];
            var name = Names.Person(p.FirstName, p.LastName, p.Email, p.ExternalId, p.Id);
            var handoff = handoffs[m.PersonId].Where(h => h.MqlAt <= m.At).OrderByDescending(h => h.MqlAt).ThenByDescending(h => h.Id).FirstOrDefault()?.Id;
            return new StageMoveRow(m.PersonId, name, p.AccountId is { } a ? accounts.GetValueOrDefault(a) : null,
                p.SourceChannel?.ToString(), m.At, m.From, m.To, m.Cause, m.Actor, handoff);
        }).OrderByDescending(r => r.At).ThenBy(r => r.PersonId)];
    }

    private sealed record Fact(Handoff H, SlaOutcome Outcome, double? FirstTouchHours, SlaDeadline Clauses);

    private static ComplianceRow Row(string key, string label, IEnumerable<Fact> group)
    {
        var g = group.ToList();
        var met = g.Count(f => f.Outcome == SlaOutcome.Met);
        var breached = g.Count(f => f.Outcome == SlaOutcome.Breached);
        var touch = g.Where(f => f.FirstTouchHours is not null).Select(f => Math.Round(f.FirstTouchHours!.Value, 2)).ToList();
        return new ComplianceRow(key, label, g.Count, met, breached, g.Count - met - breached,
            met + breached == 0 ? null : Math.Round((double)met / (met + breached), 4), SlaMath.Percentile(touch, 0.5), SlaMath.Percentile(touch, 0.9),
            g.Count == 0 ? 0 : Math.Round(g.Average(f => f.H.AttemptCount), 2),
            g.Count(f => f.H.State is HandoffState.Accepted or HandoffState.Converted), g.Count(f => f.H.State == HandoffState.Rejected),
            g.Count(f => f.Clauses.HasFlag(SlaDeadline.FirstTouch)), g.Count(f => f.Clauses.HasFlag(SlaDeadline.Attempts)), g.Count(f => f.Clauses.HasFlag(SlaDeadline.Decision)));
    }
}
