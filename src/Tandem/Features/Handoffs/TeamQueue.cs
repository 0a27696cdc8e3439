using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Handoffs;

/// <summary>Someone a manager may hand a lead to: an active rep (or manager) of one of their teams.</summary>
public sealed record TeamMember(int Id, string Name, int? TeamId, string? TeamName);

/// <summary>
/// The teams a manager answers for: their own team, and the teams of the reps who report to them (<c>ManagerId</c>).
/// An admin answers for every team. <see cref="Members"/> are the people a lead may be reassigned to.
/// </summary>
public sealed record TeamScope(int? UserId, bool Everyone, IReadOnlySet<int> TeamIds, IReadOnlyList<TeamMember> Members)
{
    public bool Has(int? userId) => userId is { } id && Members.Any(m => m.Id == id);

    /// <summary>A lead is the manager's when its rep is one of theirs, or routing put it in one of their teams.</summary>
    public bool Covers(Handoff h) => Everyone || Has(h.AssigneeId) || h.TeamId is { } t && TeamIds.Contains(t);

    /// <summary>Null for anyone who manages no team: reps, marketing, viewers and API keys without admin rights.</summary>
    public static async Task<TeamScope?> ForAsync(TandemDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var me = user.UserId();
        var role = user.Role();
        var everyone = role == Role.Admin || me is null && user.Has(Permissions.Admin);
        if (!everyone && role != Role.SalesManager) return null;
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive && (u.Role == Role.SalesRep || u.Role == Role.SalesManager))
            .Select(u => new { u.Id, u.Name, u.TeamId, u.ManagerId }).ToListAsync(ct);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        HashSet<int> teamIds = everyone ? [.. teams.Keys] : [.. users.Where(u => u.Id == me || u.ManagerId == me).Select(u => u.TeamId).OfType<int>()];
        var members = users.Where(u => everyone || u.Id == me || u.ManagerId == me || u.TeamId is { } t && teamIds.Contains(t))
            .Select(u => new TeamMember(u.Id, u.Name, u.TeamId, u.TeamId is { } t ? teams.GetValueOrDefault(t) : null))
            .OrderBy(m => m.Name).ThenBy(m => m.Id).ToList();
        return new TeamScope(me, everyone, teamIds, members);
    }
}

/// <summary>What the team queue shows of one lead: the handoff as the rep sees it, plus the channel it came from.</summary>
public sealed record TeamLead(HandoffDto Lead, Channel? Channel);

/// <summary>The manager's queue: every open lead of their teams, filtered, most urgent first.</summary>
public static class TeamQueue
{
    public static async Task<List<TeamLead>> ListAsync(TandemDb db, TeamScope scope, int? repId, SlaStatus? status, Channel? channel, CancellationToken ct)
    {
        var ids = scope.Members.Select(m => m.Id).ToList();
        var teams = scope.TeamIds.ToList();
        var q = db.Handoffs.Where(h => h.State == HandoffState.Open);
        if (!scope.Everyone) q = q.Where(h => (h.AssigneeId != null && ids.Contains(h.AssigneeId.Value)) || (h.TeamId != null && teams.Contains(h.TeamId.Value)));
        if (repId is { } r) q = q.Where(h => h.AssigneeId == r);
        if (channel is { } c) q = q.Where(h => db.People.Any(p => p.Id == h.PersonId && p.SourceChannel == c));
        var items = await HandoffQueries.ListAsync(db, q, ct);
        var personIds = items.Select(i => i.PersonId).ToList();
        var channels = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.SourceChannel, ct);
        return [.. Order(items.Where(i => status is null || i.Status == status)).Select(i => new TeamLead(i, channels.GetValueOrDefault(i.PersonId)))];
    }

    /// <summary>Breached first (they need the manager now), then due soon, then by the soonest deadline; ties by id so the order is stable.</summary>
    public static IEnumerable<HandoffDto> Order(IEnumerable<HandoffDto> items) =>
        items.OrderBy(i => i.Status switch { SlaStatus.Breached => 0, SlaStatus.DueSoon => 1, _ => 2 })
            .ThenBy(i => i.NextDue ?? DateTime.MaxValue).ThenBy(i => i.Id);
}
