using Tandem.Data;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Handoff;

/// <summary>Routing order and round-robin fairness, pure.</summary>
public class RouterTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly RouteTerritory Emea = new(1, 10, "EMEA software", TeamId: 1, Region: "EMEA", Industry: "Software");
    private static readonly RouteTerritory CatchAll = new(2, 20, "Everyone else", TeamId: 2);

    private static List<RouteUser> Cast() =>
    [
        new(1, null, Role.Admin, true, null),
        new(10, 1, Role.SalesManager, true, null),
        new(11, 1, Role.SalesRep, true, 10),
        new(12, 1, Role.SalesRep, true, 10),
        new(13, 1, Role.SalesRep, true, 10),
        new(20, 2, Role.SalesRep, true, null),
        new(30, 1, Role.SalesRep, true, 10) { IsAway = true },
        new(31, 1, Role.SalesRep, false, 10),
    ];

    private static RouteLead Lead(int? owner = null, string region = "EMEA", string industry = "Software", int? oppOwner = null) =>
        new(1, owner, "Germany", region, industry, 250, oppOwner);

    [Fact]
    public void The_known_opportunitys_owner_comes_first_then_the_account_owner_then_the_territory()
    {
        var router = new Router(Cast(), [Emea, CatchAll]);
        Assert.Equal((20, Router.KnownOpportunity), Pick(router.Route(Lead(owner: 12, oppOwner: 20), Now)));
        Assert.Equal((12, Router.AccountOwner), Pick(router.Route(Lead(owner: 12), Now)));
        var byTerritory = router.Route(Lead(), Now);
        Assert.Equal((Router.RoundRobin, 1, 1), (byTerritory.Rule, byTerritory.TeamId, byTerritory.TerritoryId));
        Assert.Contains("Territory 'EMEA software'", byTerritory.Why);
        Assert.Equal((20, Router.RoundRobin), Pick(router.Route(Lead(region: "Americas"), Now)));
    }

    [Fact]
    public void An_away_or_inactive_account_owner_falls_through_to_the_territory_and_says_so()
    {
        var router = new Router(Cast(), [Emea]);
        var d = router.Route(Lead(owner: 30), Now);
        Assert.Equal(Router.RoundRobin, d.Rule);
        Assert.StartsWith("account owner 30 is away", d.Why);
        Assert.StartsWith("account owner 31 is inactive", router.Route(Lead(owner: 31), Now).Why);
    }

    [Fact]
    public void Round_robin_gives_each_available_rep_the_same_share_skipping_away_and_inactive_ones()
    {
        var router = new Router(Cast(), [Emea]);
        var counts = Enumerable.Range(0, 300).Select(_ => router.Route(Lead(), Now).AssigneeId!.Value)
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<int, int> { [11] = 100, [12] = 100, [13] = 100 }, counts);
    }

    [Fact]
    public void Round_robin_starts_with_whoever_was_assigned_least_recently()
    {
        var users = Cast();
        users.Single(u => u.Id == 11).LastAssignedAt = Now.AddHours(-1);
        users.Single(u => u.Id == 12).LastAssignedAt = Now.AddHours(-3);
        users.Single(u => u.Id == 13).LastAssignedAt = Now.AddHours(-2);
        var router = new Router(users, [Emea]);
        Assert.Equal([12, 13, 11, 12], Enumerable.Range(0, 4).Select(_ => router.Route(Lead(), Now).AssigneeId!.Value));
    }

    [Fact]
    public void A_full_rep_is_skipped_and_a_team_with_nobody_free_goes_to_its_manager_then_an_admin()
    {
        var users = Cast().Where(u => u.Id is not (12 or 13)).Select(u => u.Id == 11
            ? new RouteUser(11, 1, Role.SalesRep, true, 10) { Capacity = 2, OpenLeads = 1 } : u).ToList();
        var router = new Router(users, [Emea]);
        Assert.Equal((11, Router.RoundRobin), Pick(router.Route(Lead(), Now)));
        var full = router.Route(Lead(), Now);
        Assert.Equal((10, Router.TeamManager), Pick(full));
        Assert.Contains("no rep available", full.Why);

        var noManager = new Router(users.Where(u => u.Id != 10 && u.Id != 11).ToList(), [Emea]);
        Assert.Equal((1, Router.Admin), Pick(noManager.Route(Lead(), Now)));
        Assert.Equal((1, Router.Admin), Pick(new Router(Cast(), []).Route(Lead(), Now)));
    }

    [Fact]
    public void With_nobody_to_take_leads_the_lead_is_unassigned_and_the_reason_recorded()
    {
        var d = new Router([new RouteUser(5, null, Role.Marketing, true, null)], []).Route(Lead(), Now);
        Assert.Equal((null, Router.Unassigned), (d.AssigneeId, d.Rule));
        Assert.Contains("nobody active can take leads", d.Why);
    }

    [Fact]
    public void Territories_match_on_every_given_criterion_and_the_size_band()
    {
        var band = new RouteTerritory(3, 1, "Mid-market DE", 1, Country: "germany", MinEmployees: 100, MaxEmployees: 999);
        Assert.True(band.Matches(Lead()));
        Assert.False(band.Matches(Lead() with { Employees = 1000 }));
        Assert.False(band.Matches(Lead() with { Employees = null }));
        Assert.False(band.Matches(Lead() with { Country = "France" }));
        Assert.True(CatchAll.Matches(new RouteLead(1, null, null, null, null, null)));
    }

    private static (int?, string) Pick(RouteDecision d) => (d.AssigneeId, d.Rule);
}
