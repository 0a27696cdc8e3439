using Microsoft.EntityFrameworkCore;
using NodaTime;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Insight;
using Tandem.Features.Plan;
using Clock = Tandem.Features.Insight.Clock;

namespace Tandem.Features.Cadence;

/// <summary>Reads what one week's record needs from the database and Insight's facts (<see cref="SyncInputs"/>).</summary>
public static class SyncGatherer
{
    private const int MaxStories = 10, MaxExamples = 5, MaxWins = 20, MaxTouches = 5;

    public static async Task<SyncInputs> GatherAsync(TandemDb db, InsightFacts f, IsoWeek week, DateTimeZone zone, string currency,
        CadenceOptions options, CancellationToken ct)
    {
        var (version, kpis) = await Scorecards.ActiveAsync(db, ct);
        var mondays = Enumerable.Range(0, SyncBuilder.Weeks + 1).Select(n => week.Monday.AddDays(7 * (n - SyncBuilder.Weeks + 1))).ToArray();
        var utc = mondays.Select(d => Periods.Utc(d, zone)).ToArray();
        var (from, to) = (utc[^2], utc[^1]);
        var bounds = utc.Select(Clock.Of).ToArray();
        var code = f.Currencies.TryGet(currency, out var c) ? c : -1;

        // SLA outcomes as they stand at the week's end, per week, for the KPI and its trend.
        var handoffs = await SlaRow.Of(db.Handoffs.Where(h => h.AssignedAt >= utc[0] && h.AssignedAt < to).OrderBy(h => h.Id)).ToListAsync(ct);
        var slaByWeek = new List<(int, bool)>[SyncBuilder.Weeks];
        for (var w = 0; w < SyncBuilder.Weeks; w++)
            slaByWeek[w] = [.. handoffs.Where(h => h.AssignedAt >= utc[w] && h.AssignedAt < utc[w + 1])
                .Select(h => (h.Id, SlaMath.Outcome(h, to))).Where(x => x.Item2 != SlaOutcome.Pending).Select(x => (x.Id, x.Item2 == SlaOutcome.Met))];

        var userName = await UserNamesAsync(db, ct);
        var weekHandoffs = handoffs.Where(h => h.AssignedAt >= from).ToList();
        var sla = await SlaAsync(db, weekHandoffs, from, to, userName, ct);
        var (plan, targets) = await PlanAsync(db, f, week, zone, to, ct);
        var rejections = await RejectionsAsync(db, from, to, ct);
        var (progressed, progressedTotal) = await ProgressedAsync(db, f, bounds[^2], bounds[^1], ct);
        var (stalled, stalledTotal) = await StalledAsync(db, to, options.StalledAfterDays, userName, ct);
        var meeting = await MeetingAsync(db, week, from, to, userName, ct);
        var wins = await WinsAsync(db, f, bounds[^2], bounds[^1], userName, ct);
        var reportTrends = new Dictionary<string, ReportTrend>();
        foreach (var k in kpis.Where(k => k.Report is not null))
            reportTrends[k.Key] = await KpiReports.MeasureAsync(k, f, db, utc, currency, ct);
        return new SyncInputs(week, zone.Id, currency, version, kpis, f, bounds, code, slaByWeek, targets, plan, sla, rejections,
            progressed, progressedTotal, stalled, stalledTotal, meeting.Heard, wins, meeting.Reviews, meeting.Actions.New, meeting.Actions.Done,
            meeting.Actions.CarriedOver, reportTrends);
    }

    /// <summary>What the meeting itself adds to <paramref name="week"/>'s document (questions heard, reviews and action items),
    /// read alone so the live page can take a new note or action without gathering the whole week again (decision 0101).</summary>
    public static async Task<MeetingPart> MeetingAsync(TandemDb db, IsoWeek week, DateTimeZone zone, CancellationToken ct) =>
        await MeetingAsync(db, week, Periods.Utc(week.Monday, zone), Periods.Utc(week.Monday.AddDays(7), zone), await UserNamesAsync(db, ct), ct);

    private static async Task<MeetingPart> MeetingAsync(TandemDb db, IsoWeek week, DateTime from, DateTime to, Func<int?, string> name, CancellationToken ct)
    {
        var notes = await NotesAsync(db, from, to, ct);
        var (fresh, done, carried) = await ActionsAsync(db, week, from, to, name, ct);
        return new MeetingPart([.. notes.Where(n => n.Kind != FieldNote.Label(NoteKind.Review))], [.. notes.Where(n => n.Kind == FieldNote.Label(NoteKind.Review))],
            new ActionsPart(fresh, done, carried));
    }

    /// <summary>Users by name; "Unassigned" for none or an unknown id.</summary>
    private static async Task<Func<int?, string>> UserNamesAsync(TandemDb db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return id => id is { } u && users.TryGetValue(u, out var n) ? n : "Unassigned";
    }

    private static async Task<SlaPart> SlaAsync(TandemDb db, List<SlaRow> week, DateTime from, DateTime to, Func<int?, string> name, CancellationToken ct)
    {
        var outcomes = week.Select(h => (h, o: SlaMath.Outcome(h, to))).ToList();
        int Count(IEnumerable<(SlaRow h, SlaOutcome o)> xs, SlaOutcome o) => xs.Count(x => x.o == o);
        double? Rate(int met, int breached) => met + breached == 0 ? null : Math.Round(100.0 * met / (met + breached), 1);
        var byRep = outcomes.GroupBy(x => name(x.h.AssigneeId)).OrderBy(g => g.Key)
            .Select(g => new SlaRepRow(g.Key, Count(g, SlaOutcome.Met), Count(g, SlaOutcome.Breached), Rate(Count(g, SlaOutcome.Met), Count(g, SlaOutcome.Breached)))).ToList();
        var breaches = (await db.SlaBreaches.AsNoTracking().Where(b => b.RecordedAt >= from && b.RecordedAt < to).Select(b => new { b.AssigneeId, b.Deadline }).ToListAsync(ct))
            .GroupBy(b => (Rep: name(b.AssigneeId), Clause: Clause(b.Deadline))).OrderBy(g => g.Key.Rep).ThenBy(g => g.Key.Clause)
            .Select(g => new BreachRow(g.Key.Rep, g.Key.Clause, g.Count())).ToList();
        var (met, breached) = (Count(outcomes, SlaOutcome.Met), Count(outcomes, SlaOutcome.Breached));
        return new SlaPart(Rate(met, breached), week.Count, met, breached, Count(outcomes, SlaOutcome.Pending), byRep, breaches,
            [.. week.Select(h => h.Id).Take(SyncBuilder.MaxRecords)]);
    }

    public static string Clause(SlaDeadline d) => d switch
    {
        SlaDeadline.FirstTouch => "First touch", SlaDeadline.Attempts => "Minimum attempts", _ => "Accept or reject",
    };

    private static async Task<(PacingPart?, Dictionary<(DateOnly, int), double>)> PlanAsync(TandemDb db, InsightFacts f, IsoWeek week,
        DateTimeZone zone, DateTime to, CancellationToken ct)
    {
        var targets = new Dictionary<(DateOnly, int), double>();
        var plans = await db.RevenuePlans.AsNoTracking().Where(p => p.Status == PlanStatus.Approved).OrderBy(p => p.Number).ToListAsync(ct);
        foreach (var p in plans)
        {
            var content = p.Parsed();
            foreach (var w in content.PeriodWeeks())
                for (var k = 0; k < PlanStages.Won; k++)
                    targets.TryAdd((content.Week(w), k), content.Lines.Sum(l => l.Weekly[k][w]));
        }
        var quarter = Plan.Period.Quarter(week.Monday.AddDays(6)).Label;
        var plan = plans.FirstOrDefault(p => p.Period == quarter);
        if (plan is null) return (null, targets);
        var pacing = Pacing.Run(plan.Parsed().Summed(), f, to, zone);
        var rows = pacing.Stages.Select(s =>
        {
            var wk = s.Weeks.FirstOrDefault(x => x.Week == week.Monday);
            return new PaceRow(s.Label, Math.Round(wk?.Plan ?? 0, 1), wk?.Actual ?? 0, Math.Round(s.PlanToDate, 1), s.ActualToDate, s.Status);
        }).ToList();
        return (new PacingPart(plan.Period, plan.Number, rows), targets);
    }

    private static async Task<RejectionsPart> RejectionsAsync(TandemDb db, DateTime from, DateTime to, CancellationToken ct)
    {
        var rows = await db.Handoffs.AsNoTracking().Where(h => h.State == HandoffState.Rejected && h.DecidedAt >= from && h.DecidedAt < to)
            .Join(db.People, h => h.PersonId, p => p.Id, (h, p) => new { h.Id, h.PersonId, h.RejectReason, h.RejectNote, p.FirstName, p.LastName, p.Email, p.ExternalId, p.SourceChannel })
            .OrderBy(x => x.Id).ToListAsync(ct);
        var labels = await db.RejectReasons.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Label, ct);
        string Label(string? code) => Handoffs.Reasons.Label(code, labels) ?? "No reason given";
        var channels = await Channels.ChannelSet.LoadAsync(db, ct);
        var counts = rows.GroupBy(r => (Label(r.RejectReason), r.SourceChannel is { } c ? channels.Label(c) : "Unknown"))
            .Select(g => new RejectionCount(g.Key.Item1, g.Key.Item2, g.Count())).OrderByDescending(r => r.Count).ThenBy(r => r.Reason).ThenBy(r => r.Channel).ToList();
        var examples = rows.Where(r => !string.IsNullOrWhiteSpace(r.RejectNote)).Concat(rows.Where(r => string.IsNullOrWhiteSpace(r.RejectNote)))
            .Take(MaxExamples).Select(r => new RejectionExample(r.PersonId, People.Names.Person(r.FirstName, r.LastName, r.Email, r.ExternalId, r.PersonId), Label(r.RejectReason), r.RejectNote)).ToList();
        return new RejectionsPart(rows.Count, counts, examples);
    }

    private static IReadOnlyList<string> TouchesBefore(InsightFacts f, int person, int until)
    {
        if (person < 0) return [];
        var list = new List<string>();
        for (var t = f.TouchEnd[person] - 1; t >= f.TouchStart[person] && list.Count < MaxTouches; t--)
        {
            if (f.TouchAt[t] > until) continue;
            var channel = f.Channels[f.TouchChannel[t]]?.Label ?? "Unknown channel";
            list.Add($"{(TouchType)f.TouchType[t]} ({channel}), {Clock.ToDate(f.TouchAt[t]):yyyy-MM-dd}");
        }
        return list;
    }

    private static async Task<(IReadOnlyList<LeadStory>, int)> ProgressedAsync(TandemDb db, InsightFacts f, int from, int to, CancellationToken ct)
    {
        var hits = new List<int>();
        for (var i = 0; i < f.PeopleCount; i++)
        {
            var sql = f.Reached[3][i];
            if (sql != Clock.None && sql >= from && sql < to && f.Reached[1][i] != Clock.None) hits.Add(i);
        }
        var shown = hits.Take(MaxStories).ToList();
        var ids = shown.Select(i => f.PersonId[i]).ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.FirstName, p.LastName, p.Email, p.ExternalId, p.AccountId }).ToDictionaryAsync(p => p.Id, ct);
        var accountIds = people.Values.Where(p => p.AccountId != null).Select(p => p.AccountId!.Value).ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var stories = shown.Where(i => people.ContainsKey(f.PersonId[i])).Select(i =>
        {
            var p = people[f.PersonId[i]];
            return new LeadStory(p.Id, People.Names.Person(p.FirstName, p.LastName, p.Email, p.ExternalId, p.Id), p.AccountId is { } a ? accounts.GetValueOrDefault(a) : null,
                Clock.ToDate(f.Reached[3][i]), TouchesBefore(f, i, f.Reached[3][i]));
        }).ToList();
        return (stories, hits.Count);
    }

    private static async Task<(IReadOnlyList<StalledLead>, int)> StalledAsync(TandemDb db, DateTime to, int days, Func<int?, string> name, CancellationToken ct)
    {
        // Leads still waiting at SAL that sales accepted this quarter: older ones are a pipeline review's matter, not this week's.
        var since = to.AddDays(-91);
        var accepted = await db.Handoffs.AsNoTracking().Where(h => h.State == HandoffState.Accepted && h.DecidedAt < to && h.DecidedAt >= since
                && db.People.Any(p => p.Id == h.PersonId && p.Stage == LifecycleStage.SAL))
            .Select(h => new { h.Id, h.PersonId, h.AssigneeId, DecidedAt = h.DecidedAt!.Value, Last = db.HandoffAttempts.Where(a => a.HandoffId == h.Id && a.At < to).Max(a => (DateTime?)a.At) })
            .ToListAsync(ct);
        var stalled = accepted.Select(h => (h, idle: BusinessDays(h.Last is { } l && l > h.DecidedAt ? l : h.DecidedAt, to)))
            .Where(x => x.idle >= days).OrderByDescending(x => x.idle).ThenBy(x => x.h.Id).ToList();
        var shown = stalled.Take(MaxStories).ToList();
        var ids = shown.Select(x => x.h.PersonId).ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        return ([.. shown.Select(x => new StalledLead(x.h.PersonId, people.GetValueOrDefault(x.h.PersonId, $"Person {x.h.PersonId}"), name(x.h.AssigneeId),
            x.h.DecidedAt, x.idle))], stalled.Count);
    }

    /// <summary>Whole weekdays (Monday–Friday) between two instants, by UTC date.</summary>
    public static int BusinessDays(DateTime from, DateTime to)
    {
        var n = 0;
        for (var d = DateOnly.FromDateTime(from).AddDays(1); d <= DateOnly.FromDateTime(to); d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) n++;
        return n;
    }

    private static async Task<List<NoteItem>> NotesAsync(TandemDb db, DateTime from, DateTime to, CancellationToken ct)
    {
        var notes = await db.FieldNotes.AsNoTracking().Where(n => n.At >= from && n.At < to).OrderBy(n => n.At).ThenBy(n => n.Id).ToListAsync(ct);
        var about = await NotesAbout.NamesAsync(db, notes, ct);
        return [.. notes.Select(n => new NoteItem(n.Id, FieldNote.Label(n.Kind), n.Text, n.AuthorName, n.At, about.GetValueOrDefault(n.Id),
            n.Outcome?.ToString(), n.Reasons, n.Criteria, n.Competitor))];
    }

    private static async Task<IReadOnlyList<WinItem>> WinsAsync(TandemDb db, InsightFacts f, int from, int to, Func<int?, string> name, CancellationToken ct)
    {
        var won = new List<int>();
        for (var o = 0; o < f.OppCount && won.Count < MaxWins; o++)
            if (f.OppOutcome[o] == Outcome.Won && f.OppClosed[o] >= from && f.OppClosed[o] < to) won.Add(o);
        var ids = won.Select(o => f.OppId[o]).ToList();
        var opps = await db.Opportunities.AsNoTracking().Where(o => ids.Contains(o.Id))
            .Select(o => new { o.Id, o.Name, o.AmountMinor, o.Currency, o.OwnerId, Account = db.Accounts.Where(a => a.Id == o.AccountId).Select(a => a.Name).FirstOrDefault() })
            .ToDictionaryAsync(o => o.Id, ct);
        return [.. won.Where(o => opps.ContainsKey(f.OppId[o])).Select(o =>
        {
            var d = opps[f.OppId[o]];
            return new WinItem(d.Id, d.Name, d.Account, d.AmountMinor / 100.0, d.Currency, name(d.OwnerId), TouchesBefore(f, f.OppPerson[o], f.OppClosed[o]));
        })];
    }

    private static async Task<(List<ActionRow>, List<ActionRow>, List<ActionRow>)> ActionsAsync(TandemDb db, IsoWeek week, DateTime from, DateTime to,
        Func<int?, string> name, CancellationToken ct)
    {
        var key = week.Key;
        var items = await db.ActionItems.AsNoTracking().Where(a => a.CreatedAt < to && (a.DoneAt == null || a.DoneAt >= from)).OrderBy(a => a.Id).ToListAsync(ct);
        var end = DateOnly.FromDateTime(to);
        ActionRow Row(ActionItem a) => new(a.Id, a.Title, name(a.OwnerId), a.DueOn,
            a.DoneAt is { } d && d < to ? a.Status.ToString() : ActionStatus.Open.ToString(), a.RaisedWeek, end.DayNumber - DateOnly.FromDateTime(a.CreatedAt).DayNumber);
        var fresh = items.Where(a => a.RaisedWeek == key).Select(Row).ToList();
        var done = items.Where(a => a.DoneAt >= from && a.DoneAt < to).Select(Row).ToList();
        // Raised in an earlier week and still open at this week's end ("2026-W09" keys sort as weeks do).
        var carried = items.Where(a => string.CompareOrdinal(a.RaisedWeek, key) < 0 && (a.DoneAt == null || a.DoneAt >= to) && a.Status != ActionStatus.Dropped)
            .Select(Row).ToList();
        return (fresh, done, carried);
    }
}
