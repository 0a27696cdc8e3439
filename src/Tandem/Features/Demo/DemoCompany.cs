using Bogus;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Campaigns;
using Tandem.Features.Users;

namespace Tandem.Features.Demo;

/// <summary>
/// The fixed cast of the demo: our own revenue team, the market of accounts and the campaigns. Ids are assigned
/// here (the database is empty) so people and touches can point at them without a round trip.
/// </summary>
internal sealed class DemoCompany
{
    public const string OwnDomain = "northwind.example";
    public const double QuarterDays = 91.25;

    public required DateTime Start { get; init; }
    public required DateTime Now { get; init; }
    public List<Team> Teams { get; } = [];
    public List<User> Users { get; } = [];
    public List<Account> Accounts { get; } = [];
    public List<int> AccountRegion { get; } = [];
    public List<Campaign> Campaigns { get; } = [];
    public List<int>[] RepsByRegion { get; } = [.. DemoProfile.Regions.Select(_ => new List<int>())];
    public required string[] FirstNames { get; init; }
    public required string[] LastNames { get; init; }
    public required string[] Titles { get; init; }
    public int Quarters => (int)Math.Ceiling(DemoProfile.Days / QuarterDays);

    public static DemoCompany Create(int people, int seed, DateTime now)
    {
        var f = new Faker("en") { Random = new Randomizer(seed) };
        var c = new DemoCompany
        {
            Start = now.AddDays(-DemoProfile.Days), Now = now,
            FirstNames = [.. Enumerable.Range(0, 1500).Select(_ => f.Name.FirstName())],
            LastNames = [.. Enumerable.Range(0, 1500).Select(_ => f.Name.LastName())],
            Titles = [.. Enumerable.Range(0, 300).Select(_ => f.Name.JobTitle())],
        };
        c.AddTeam(f, people);
        c.AddAccounts(f, Math.Max(10, people / 10));
        c.AddCampaigns(f, people);
        return c;
    }

    /// <summary>The campaign a touch in this channel at this time belongs to: one per channel and quarter.</summary>
    public int CampaignId(int channelIndex, DateTime at) =>
        1 + channelIndex * Quarters + Math.Clamp((int)((at - Start).TotalDays / QuarterDays), 0, Quarters - 1);

    private void AddTeam(Faker f, int people)
    {
        var emails = new HashSet<string>();
        User Add(string? name, Role role, int? team, int? manager, string zone)
        {
            name ??= f.Name.FullName();
            var email = $"{name.ToLowerInvariant().Replace(' ', '.').Replace("'", "")}@{OwnDomain}";
            for (var n = 2; !emails.Add(email); n++) email = $"{name.ToLowerInvariant().Replace(' ', '.')}{n}@{OwnDomain}";
            var u = new User { Id = Users.Count + 1, Name = name, Email = email, Role = role, TeamId = team, ManagerId = manager, TimeZone = zone, CreatedAt = Start };
            Users.Add(u);
            return u;
        }

        Teams.Add(new Team { Id = 1, Name = "Marketing", Kind = TeamKind.Marketing });
        var admin = Add(null, Role.Admin, null, null, "America/New_York");
        var cmo = Add(null, Role.Marketing, 1, admin.Id, "America/New_York");
        foreach (var zone in new[] { "America/New_York", "America/Chicago", "Europe/London", "Europe/London", "Asia/Singapore" })
            Add(null, Role.Marketing, 1, cmo.Id, zone);
        Add(null, Role.Viewer, null, admin.Id, "America/New_York");

        // Enough reps that each carries a believable book; capped so a million-person demo stays readable.
        var reps = Math.Clamp(people / 2500, 3, 60);
        for (var r = 0; r < DemoProfile.Regions.Length; r++)
        {
            var (region, _, zones, _) = DemoProfile.Regions[r];
            var team = new Team { Id = Teams.Count + 1, Name = $"Sales {region}", Kind = TeamKind.Sales };
            Teams.Add(team);
            var manager = Add(null, Role.SalesManager, team.Id, admin.Id, zones[0]);
            for (var i = 0; i < reps; i++) RepsByRegion[r].Add(Add(null, Role.SalesRep, team.Id, manager.Id, zones[i % zones.Length]).Id);
        }
    }

    private void AddAccounts(Faker f, int count)
    {
        var domains = new HashSet<string>(DemoProfile.PersonalDomains);
        for (var i = 0; i < count; i++)
        {
            var name = f.Company.CompanyName();
            var region = f.Random.WeightedRandom([0, 1, 2], [0.6f, 0.28f, 0.12f]);
            var slug = new string([.. name.ToLowerInvariant().Where(char.IsAsciiLetter)]);
            var domain = $"{slug}.{DemoProfile.Regions[region].Domain}";
            for (var n = 2; !domains.Add(domain); n++) domain = $"{slug}{n}.{DemoProfile.Regions[region].Domain}";
            var employees = (int)Math.Round(Math.Exp(f.Random.Double(Math.Log(10), Math.Log(20_000))));
            Accounts.Add(new Account
            {
                Id = i + 1, Name = name, Domain = domain, Industry = f.PickRandom(DemoProfile.Industries), EmployeeCount = employees,
                AnnualRevenue = employees * (long)f.Random.Int(80_000, 250_000), Country = f.PickRandom(DemoProfile.Regions[region].Countries),
                Region = DemoProfile.Regions[region].Name, OwnerId = Named(employees, f.PickRandom(RepsByRegion[region])),
                Status = f.Random.Double() < DemoProfile.OutOfBusinessShare ? AccountStatus.OutOfBusiness : AccountStatus.Active,
                CreatedAt = Start.AddDays(f.Random.Double(0, DemoProfile.Days)),
            });
            AccountRegion.Add(region);
        }
    }

    /// <summary>Named accounts (500+ employees) have an owner; smaller ones are worked by their region's team in round robin.
    /// The owner is drawn for every account all the same, so the rest of the demo's random draws stay where they were.</summary>
    private static int? Named(int employees, int owner) => employees >= 500 ? owner : null;

    private void AddCampaigns(Faker f, int people)
    {
        // Spend scales with the audience so cost per lead stays the same at any demo size.
        var scale = Math.Max(0.05, people / 20_000.0);
        for (var ch = 0; ch < DemoProfile.Channels.Length; ch++)
            for (var q = 0; q < Quarters; q++)
            {
                var profile = DemoProfile.Channels[ch];
                var starts = Start.AddDays(q * QuarterDays);
                Campaigns.Add(new Campaign
                {
                    Id = Campaigns.Count + 1, ExternalId = $"demo-{profile.Channel}-{q + 1}".ToLowerInvariant(),
                    Name = $"{profile.Channel} {starts:yyyy}-Q{(starts.Month - 1) / 3 + 1}: {f.Company.CatchPhrase()}",
                    Channel = profile.Channel, CostMinor = (long)(profile.QuarterCostUsd * scale * f.Random.Double(0.8, 1.2)) * 100,
                    StartsAt = starts, EndsAt = starts.AddDays(QuarterDays), CreatedAt = starts,
                });
            }
    }
}
