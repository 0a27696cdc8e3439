using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Calendars;

namespace Tandem.Features.Handoffs;

/// <summary>Everything routing reads, loaded once per batch: users with their seats and open-lead counts, territories,
/// team names, holidays; and the users' calendars, built on first use.</summary>
internal sealed class RoutingContext
{
    public required Router Router { get; init; }
    public required Dictionary<int, Users.User> Users { get; init; }
    public required HashSet<int> Seated { get; init; }
    public required List<DateOnly> Holidays { get; init; }
    private readonly Dictionary<int, (BusinessCalendar, string?)> _calendars = [];
    private readonly HashSet<int> _assigned = [];

    public static async Task<RoutingContext> LoadAsync(TandemDb db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, ct);
        var seats = await db.RoutingSeats.AsNoTracking().ToDictionaryAsync(s => s.UserId, ct);
        var load = await db.Handoffs.AsNoTracking().Where(h => h.State == HandoffState.Open && h.AssigneeId != null)
            .GroupBy(h => h.AssigneeId!.Value).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var territories = await db.TerritoryRules.AsNoTracking().ToListAsync(ct);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var routeUsers = users.Values.Select(u =>
        {
            var seat = seats.GetValueOrDefault(u.Id);
            return new RouteUser(u.Id, u.TeamId, u.Role, u.IsActive, u.ManagerId)
            {
                IsAway = seat?.IsAway ?? false, Capacity = seat?.Capacity, LastAssignedAt = seat?.LastAssignedAt, OpenLeads = load.GetValueOrDefault(u.Id),
            };
        });
        return new RoutingContext
        {
            Router = new Router(routeUsers, territories.Select(t => new RouteTerritory(t.Id, t.Position, t.Name, t.TeamId, t.Country, t.Region,
                t.Industry, t.MinEmployees, t.MaxEmployees)), teams),
            Users = users, Seated = [.. seats.Keys], Holidays = await WorkCalendars.HolidaysAsync(db, ct),
        };
    }

    /// <summary>The assignee's calendar; the standard one (with the reason) when their settings are invalid or nobody is assigned.</summary>
    public (BusinessCalendar Calendar, string? Problem) CalendarOf(int? userId)
    {
        if (userId is not { } id || !Users.TryGetValue(id, out var user)) return (HandoffAssigner.Standard, userId is null ? null : $"user {userId} is unknown");
        _assigned.Add(id);
        if (_calendars.TryGetValue(id, out var known)) return known;
        try { known = (WorkCalendars.For(user, Holidays), null); }
        catch (ArgumentException e) { known = (HandoffAssigner.Standard, $"{user.Name}'s calendar is invalid ({e.ParamName})"); }
        return _calendars[id] = known;
    }

    /// <summary>Stores when each assigned user last got a lead: round robin continues from here next time.</summary>
    public void SaveSeats(TandemDb db)
    {
        foreach (var id in _assigned)
        {
            var at = Router.User(id)!.LastAssignedAt;
            if (db.RoutingSeats.Local.FirstOrDefault(s => s.UserId == id) is { } local) local.LastAssignedAt = at;
            else if (Seated.Contains(id))
            {
                var e = db.RoutingSeats.Attach(new RoutingSeat { UserId = id });
                e.Property(s => s.LastAssignedAt).CurrentValue = at;
                e.Property(s => s.LastAssignedAt).IsModified = true;
            }
            else db.RoutingSeats.Add(new RoutingSeat { UserId = id, LastAssignedAt = at });
        }
        _assigned.Clear();
    }
}
