using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Activity;
using Tandem.Features.Calendars;
using Tandem.Features.Opportunities;
using Tandem.Features.People;

namespace Tandem.Features.Handoffs;

/// <summary>A new MQL to hand over: the person (tracked or not), when they qualified and why.</summary>
public sealed record NewMql(Person Person, DateTime At, string? Note);

/// <summary>One MQL handed over: the open handoff, its credit to the account's open opportunity, and its log row.</summary>
public sealed record Assigned(Handoff Handoff, OpportunityInfluence? Influence, ActivityEntry Log);

/// <summary>
/// The apply step of routing. For each new MQL: route it (<see cref="Router"/>), start its SLA clock in the assignee's
/// calendar, make the assignee the person's owner, attach it to the account's open opportunity (with influence credit).
/// Returns the rows to write, so they commit with the MQL itself, through EF (<see cref="AddTo"/>) or, on the ingestion
/// path, through Lifecycle's raw writer; only the round-robin seats are added to <c>db</c> here.
/// </summary>
public static class HandoffAssigner
{
    /// <summary>Used when the assignee's own settings cannot make a calendar, and when nobody is assigned.</summary>
    public static readonly BusinessCalendar Standard = BusinessCalendar.Uniform("UTC",
        [NodaTime.IsoDayOfWeek.Monday, NodaTime.IsoDayOfWeek.Tuesday, NodaTime.IsoDayOfWeek.Wednesday, NodaTime.IsoDayOfWeek.Thursday, NodaTime.IsoDayOfWeek.Friday],
        new NodaTime.LocalTime(9, 0), new NodaTime.LocalTime(17, 0));

    public static async Task<List<Assigned>> AssignAsync(TandemDb db, SlaSection terms, int? definitionId, IReadOnlyList<NewMql> mqls,
        DateTime start, CancellationToken ct)
    {
        if (mqls.Count == 0) return [];
        var ids = mqls.Select(m => m.Person.Id).ToList();
        var open = await db.Handoffs.AsNoTracking().Where(h => ids.Contains(h.PersonId) && h.State == HandoffState.Open)
            .Select(h => h.PersonId).ToListAsync(ct);
        var todo = mqls.Where(m => !open.Contains(m.Person.Id)).ToList();
        if (todo.Count == 0) return [];

        var accountIds = todo.Select(m => m.Person.AccountId).OfType<int>().Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.OwnerId, a.Country, a.Region, a.Industry, a.EmployeeCount }).ToDictionaryAsync(a => a.Id, ct);
        var opportunities = (await db.Opportunities.AsNoTracking()
                .Where(o => o.AccountId != null && accountIds.Contains(o.AccountId.Value) && o.Outcome == Outcome.Open)
                .Select(o => new { o.Id, AccountId = o.AccountId!.Value, o.OwnerId, o.RecordedAt }).ToListAsync(ct))
            .GroupBy(o => o.AccountId).ToDictionary(g => g.Key, g => g.OrderByDescending(o => o.RecordedAt).ThenByDescending(o => o.Id).First());
        var ctx = await RoutingContext.LoadAsync(db, ct);

        var made = new List<Assigned>(todo.Count);
        foreach (var m in todo)
        {
            var p = m.Person;
            var account = p.AccountId is { } aid ? accounts.GetValueOrDefault(aid) : null;
            var opp = p.AccountId is { } oid ? opportunities.GetValueOrDefault(oid) : null;
            var decision = ctx.Router.Route(new RouteLead(p.Id, account?.OwnerId, account?.Country, account?.Region, account?.Industry,
                account?.EmployeeCount, opp?.OwnerId), start);
            var h = new Handoff
            {
                PersonId = p.Id, AssigneeId = decision.AssigneeId, TeamId = decision.TeamId, TerritoryId = decision.TerritoryId,
                Rule = decision.Rule, RuleNote = Trim(decision.Why, 400), DefinitionId = definitionId, MqlAt = m.At,
            };
            var (calendar, problem) = ctx.CalendarOf(decision.AssigneeId);
            if (problem is not null) h.RuleNote = Trim($"{h.RuleNote}; deadlines in the standard calendar because {problem}", 400);
            try { SlaClock.Start(h, terms, calendar, start); }
            catch (InvalidOperationException e)
            {
                // A calendar whose holidays leave no working time ahead must not block the MQL: no lead without a deadline.
                h.RuleNote = Trim($"{h.RuleNote}; deadlines in the standard calendar because {e.Message}", 400);
                SlaClock.Start(h, terms, Standard, start);
            }
            if (decision.AssigneeId is { } assignee) p.OwnerId = assignee;
            OpportunityInfluence? credit = null;
            if (opp is not null)
            {
                (h.OpportunityId, h.KnownOpportunity) = (opp.Id, true);
                credit = new OpportunityInfluence { OpportunityId = opp.Id, PersonId = p.Id, Handoff = h, At = m.At, Note = m.Note };
            }
            made.Add(new(h, credit, HandoffLog.Entry(db, p.Id, "handoff.assigned", "system",
                new { h.AssigneeId, h.Rule, why = h.RuleNote, h.FirstTouchDue, h.AttemptsDue, h.DecideDue, h.OpportunityId })));
        }
        ctx.SaveSeats(db);
        return made;
    }

    /// <summary>Adds the handoffs, credits and log rows to the context (the caller saves).</summary>
    public static void AddTo(TandemDb db, IEnumerable<Assigned> made)
    {
        foreach (var (h, credit, log) in made)
        {
            db.Handoffs.Add(h);
            if (credit is not null) db.OpportunityInfluences.Add(credit);
            db.Activity.Add(log);
        }
    }

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
