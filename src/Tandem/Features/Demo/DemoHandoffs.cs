using Tandem.Data;
using Tandem.Features.Lifecycle;
using Tandem.Features.Agreement;
using Tandem.Features.Calendars;
using Tandem.Features.Handoffs;
using Tandem.Features.People;

namespace Tandem.Features.Demo;

/// <summary>
/// The demo's handoffs: every MQL routed through the real <see cref="Router"/> (account owner, else the region's territory by
/// round robin), deadlines from the real <see cref="SlaClock"/> in the rep's calendar, and what sales then did (the demo's
/// accept/reject/convert moves) with simulated attempts. Breaches are what <see cref="SlaClock"/> finds at "now", recorded as
/// the sweeper would have (told at the deadline, escalated four hours later if still open). Details draw from their own
/// random stream, so the rest of the demo (and the replay of v1 over it) is unchanged by them.
/// </summary>
internal sealed class DemoHandoffs
{
    private readonly DemoCompany _co;
    private readonly Router _router;
    private readonly Dictionary<int, BusinessCalendar> _calendars;
    private readonly Dictionary<int, int?> _managers;
    private readonly SlaSection _terms = StarterDefinition.Content.SlaTerms();
    private int _nextId, _seed;
    private long _nextAttempt, _nextBreach;

    public DemoHandoffs(DemoCompany co, int seed)
    {
        _co = co;
        _seed = seed;
        _router = new Router(co.Users.Select(u => new RouteUser(u.Id, u.TeamId, u.Role, u.IsActive, u.ManagerId)),
            Territories(co).Select(t => new RouteTerritory(t.Id, t.Position, t.Name, t.TeamId, Region: t.Region)),
            co.Teams.ToDictionary(t => t.Id, t => t.Name));
        _calendars = co.Users.ToDictionary(u => u.Id, u => WorkCalendars.For(u, []));
        _managers = co.Users.ToDictionary(u => u.Id, u => u.ManagerId);
    }

    /// <summary>One territory per sales region, to that region's team.</summary>
    public static List<TerritoryRule> Territories(DemoCompany co) =>
        [.. DemoProfile.Regions.Select((r, i) => new TerritoryRule
            { Id = i + 1, Position = (i + 1) * 10, Name = r.Name, Region = r.Name, TeamId = co.Teams.Single(t => t.Name == $"Sales {r.Name}").Id })];

    public IEnumerable<RoutingSeat> Seats() =>
        _co.Users.Select(u => _router.User(u.Id)!).Where(u => u.LastAssignedAt is not null).Select(u => new RoutingSeat { UserId = u.Id, LastAssignedAt = u.LastAssignedAt });

    /// <summary>Routes a new MQL and starts its SLA clock; the person's owner becomes the assignee.</summary>
    public Handoff Start(Person p, int region, int definitionId, DateTime at)
    {
        var account = p.AccountId is { } a ? _co.Accounts[a - 1] : null;
        var d = _router.Route(new RouteLead(p.Id, account?.OwnerId, account?.Country, account?.Region ?? DemoProfile.Regions[region].Name,
            account?.Industry, account?.EmployeeCount), at);
        var h = new Handoff
        {
            Id = ++_nextId, PersonId = p.Id, AssigneeId = d.AssigneeId, TeamId = d.TeamId, TerritoryId = d.TerritoryId, Rule = d.Rule,
            RuleNote = d.Why, DefinitionId = definitionId, MqlAt = at,
        };
        SlaClock.Start(h, _terms, d.AssigneeId is { } id ? _calendars[id] : HandoffAssigner.Standard, at);
        p.OwnerId = d.AssigneeId;
        return h;
    }

    /// <summary>Completes the handoff from the stage moves sales made after the MQL (from <paramref name="firstAfter"/> on).</summary>
    public void Finish(DemoChunk chunk, Handoff h, int firstAfter)
    {
        var rng = DemoRandom.For(_seed ^ 0x48A0FF, h.PersonId * 31L + h.Id);
        var now = _co.Now;
        for (var i = firstAfter; i < chunk.StageChanges.Count; i++)
        {
            var c = chunk.StageChanges[i];
            if (c.Cause == Causes.Accept && h.State == HandoffState.Open) StageHistory.Decide(h, HandoffState.Accepted, c.At, c.Actor);
            else if (c.Cause == Causes.Reject && h.State == HandoffState.Open)
            {
                StageHistory.Decide(h, HandoffState.Rejected, c.At, c.Actor);
                h.RejectReason = c.To == LifecycleStage.Nurture ? RoutingConfiguration.NoBudgetOrTiming : Reasons.Find(c.Reason)?.Code ?? "not-ideal-customer";
                h.RejectNote = c.Reason;
            }
            else if (c.To == LifecycleStage.SQL && h.State == HandoffState.Accepted)
            {
                StageHistory.Decide(h, HandoffState.Converted, c.At, c.Actor);
                h.OpportunityId = chunk.Opportunities.LastOrDefault(o => o.PrimaryPersonId == h.PersonId)?.Id;
            }
            if (c.To is LifecycleStage.MQL) break; // a later MQL is another handoff
        }
        // Attempts: most reps call within hours, some take a day or more; a rejection often follows one or two tries.
        // The lags are business hours in the rep's calendar: reps call in office hours. Lags in clock hours put calls at night,
        // and every lag that began and ended outside hours across one working day measured exactly 8.0 business hours; so
        // many first touches sat on that plateau that the dashboard's P90 read 8.0 for nearly every rep (issue 13).
        var until = h.DecidedAt ?? now;
        var count = h.State switch { HandoffState.Open => rng.Next(3), HandoffState.Rejected => rng.Next(3), _ => 1 + rng.Next(4) };
        var calendar = h.AssigneeId is { } rep && _calendars.TryGetValue(rep, out var repCalendar) ? repCalendar : HandoffAssigner.Standard;
        var at = calendar.AddBusinessHours(h.AssignedAt, rng.Lag(0.05, 12));
        for (var n = 0; n < count && at <= until && at <= now; n++, at = calendar.AddBusinessHours(at, rng.Lag(1, 14)))
        {
            chunk.HandoffAttempts.Add(new HandoffAttempt
            {
                Id = ++_nextAttempt, HandoffId = h.Id, Kind = (AttemptKind)rng.Next(4), At = at, Actor = $"user:{h.AssigneeId}",
                Note = rng.Chance(0.3) ? rng.Pick(Notes) : null,
            });
            h.AttemptCount++;
            h.FirstTouchAt ??= at;
            if (h.AttemptCount == h.MinAttempts) h.AttemptsMetAt = at;
        }
        // Every deadline missed by "now", including those kept late: the sweeper would have recorded each when it passed.
        foreach (var d in SlaClock.All.Where(d => SlaClock.Missed(h, d, now)))
        {
            var due = SlaClock.Due(h, d);
            var escalate = due.AddHours(4);
            var open = h.DecidedAt is null || h.DecidedAt > escalate;
            h.BreachedMask |= (int)d;
            chunk.SlaBreaches.Add(new SlaBreach
            {
                Id = ++_nextBreach, HandoffId = h.Id, Deadline = d, DueAt = due, RecordedAt = due, AssigneeId = h.AssigneeId, NotifiedAt = due,
                EscalatedAt = escalate <= now ? escalate : null,
                EscalatedTo = escalate <= now && open && h.AssigneeId is { } a ? _managers[a] : null,
            });
        }
        h.NextDeadline = SlaClock.Next(h);
        chunk.Handoffs.Add(h);
    }

    private static readonly string[] Notes = ["Left a voicemail", "No answer", "Sent intro email", "Booked a call", "Connected on LinkedIn", "Gatekeeper: call back Tuesday"];
}
