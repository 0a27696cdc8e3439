using Tandem.Data;

namespace Tandem.Features.Handoffs;

/// <summary>What routing needs to know about a new MQL: its account's owner and the fields territories match on.</summary>
public sealed record RouteLead(int PersonId, int? AccountOwnerId, string? Country, string? Region, string? Industry, int? Employees,
    int? OpportunityOwnerId = null);

/// <summary>A user as routing sees them. <see cref="OpenLeads"/> counts their open handoffs (for capacity).</summary>
public sealed class RouteUser(int id, int? teamId, Role role, bool isActive, int? managerId)
{
    public int Id { get; } = id;
    public int? TeamId { get; } = teamId;
    public Role Role { get; } = role;
    public bool IsActive { get; } = isActive;
    public int? ManagerId { get; } = managerId;
    public bool IsAway { get; init; }
    public int? Capacity { get; init; }
    public DateTime? LastAssignedAt { get; set; }
    public int OpenLeads { get; set; }

    public bool CanTakeLeads => IsActive && !IsAway && (Capacity is null || OpenLeads < Capacity);
}

public sealed record RouteTerritory(int Id, int Position, string Name, int TeamId, string? Country = null, string? Region = null,
    string? Industry = null, int? MinEmployees = null, int? MaxEmployees = null)
{
    public bool Matches(RouteLead l) =>
        Same(Country, l.Country) && Same(Region, l.Region) && Same(Industry, l.Industry)
        && (MinEmployees is null || l.Employees >= MinEmployees) && (MaxEmployees is null || l.Employees <= MaxEmployees);

    private static bool Same(string? rule, string? value) => rule is null || string.Equals(rule.Trim(), value?.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Who gets the lead, which rule decided, and that decision in words.</summary>
public sealed record RouteDecision(int? AssigneeId, int? TeamId, int? TerritoryId, string Rule, string Why);

/// <summary>
/// The routing rules, pure: known opportunity's owner, then the account owner, then the first matching territory's team by
/// round robin (least recently assigned, skipping inactive, away and full users), then the team's manager, then an admin.
/// Holds the users' round-robin state, so a batch of MQLs is spread fairly; the caller stores the new state.
/// </summary>
/// <remarks>docs/decisions/0030-handoff-routing.md</remarks>
public sealed class Router
{
    public const string KnownOpportunity = "known-opportunity", AccountOwner = "account-owner", RoundRobin = "round-robin",
        TeamManager = "fallback:team-manager", Admin = "fallback:admin", Unassigned = "unassigned";

    private readonly Dictionary<int, RouteUser> _users;
    private readonly RouteTerritory[] _territories;
    private readonly Dictionary<int, RouteUser[]> _reps;
    private readonly Dictionary<int, string> _teams;

    public Router(IEnumerable<RouteUser> users, IEnumerable<RouteTerritory> territories, IReadOnlyDictionary<int, string>? teamNames = null)
    {
        _users = users.ToDictionary(u => u.Id);
        _territories = [.. territories.OrderBy(t => t.Position).ThenBy(t => t.Id)];
        _reps = _users.Values.Where(u => u.TeamId is not null && u.Role == Role.SalesRep)
            .GroupBy(u => u.TeamId!.Value).ToDictionary(g => g.Key, g => g.OrderBy(u => u.Id).ToArray());
        _teams = teamNames?.ToDictionary() ?? [];
        _last = _users.Values.Max(u => u.LastAssignedAt) ?? DateTime.MinValue;
    }

    public RouteUser? User(int id) => _users.GetValueOrDefault(id);

    private DateTime _last;

    /// <summary>Decides and counts the assignment: one more open lead, and last assigned at <paramref name="now"/>, or 1 µs after
    /// the latest assignment so far, so that the order of assignments is strict even within one instant (and survives PostgreSQL's precision).</summary>
    public RouteDecision Route(RouteLead lead, DateTime now)
    {
        var d = Decide(lead);
        if (d.AssigneeId is { } id && _users.TryGetValue(id, out var u))
        {
            _last = now > _last ? now : _last.AddTicks(10);
            u.LastAssignedAt = _last;
            u.OpenLeads++;
        }
        return d;
    }

    private RouteDecision Decide(RouteLead lead)
    {
        var skipped = new List<string>();
        if (lead.OpportunityOwnerId is { } oo)
        {
            if (Active(oo) is { } owner) return new(owner.Id, owner.TeamId, null, KnownOpportunity, "Owner of the account's open opportunity");
            skipped.Add($"opportunity owner {oo} is inactive");
        }
        if (lead.AccountOwnerId is { } ao)
        {
            // An account owner takes their own account's leads even when full: splitting an account is worse than a busy week.
            if (_users.GetValueOrDefault(ao) is { IsActive: true, IsAway: false } owner)
                return new(owner.Id, owner.TeamId, null, AccountOwner, "Owner of the matched account");
            skipped.Add($"account owner {ao} is {(_users.GetValueOrDefault(ao) is { IsActive: true } ? "away" : "inactive")}");
        }
        var territory = Array.Find(_territories, t => t.Matches(lead));
        if (territory is not null)
        {
            var team = _teams.GetValueOrDefault(territory.TeamId, $"team {territory.TeamId}");
            var reps = _reps.GetValueOrDefault(territory.TeamId) ?? [];
            RouteUser? pick = null;
            var available = 0;
            foreach (var r in reps)
            {
                if (!r.CanTakeLeads) continue;
                available++;
                if (pick is null || (r.LastAssignedAt ?? DateTime.MinValue) < (pick.LastAssignedAt ?? DateTime.MinValue)) pick = r;
            }
            var prefix = Prefix(skipped) + $"Territory '{territory.Name}' → {team}";
            if (pick is not null)
                return new(pick.Id, territory.TeamId, territory.Id, RoundRobin, $"{prefix}; least recently assigned of {available} available");
            var manager = _users.Values.Where(u => u.TeamId == territory.TeamId && u.Role == Role.SalesManager && u.IsActive).MinBy(u => u.Id)
                ?? reps.Select(r => r.ManagerId).OfType<int>().Select(Active).OfType<RouteUser>().MinBy(u => u.Id);
            if (manager is not null)
                return new(manager.Id, territory.TeamId, territory.Id, TeamManager, $"{prefix}; no rep available (away, inactive or full), so the team's manager");
            skipped.Add($"{team} has no available rep or manager");
        }
        else skipped.Add("no territory matches");
        var admin = _users.Values.Where(u => u.IsActive && u.Role == Role.Admin).MinBy(u => u.Id)
            ?? _users.Values.Where(u => u.IsActive && u.Role == Role.SalesManager).MinBy(u => u.Id);
        return admin is not null
            ? new(admin.Id, admin.TeamId, territory?.Id, Admin, Prefix(skipped).TrimEnd(';', ' ') + $"; so {(admin.Role == Role.Admin ? "an admin" : "a sales manager")}")
            : new(null, null, territory?.Id, Unassigned, Prefix(skipped) + "nobody active can take leads: add an admin or a sales team");
    }

    private RouteUser? Active(int id) => _users.GetValueOrDefault(id) is { IsActive: true } u ? u : null;

    private static string Prefix(List<string> skipped) => skipped.Count == 0 ? "" : string.Join("; ", skipped) + "; ";
}
