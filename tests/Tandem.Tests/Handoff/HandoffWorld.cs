using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;
using Tandem.Features.Users;

namespace Tandem.Tests.Handoff;

/// <summary>
/// A small sales team over a fresh database: an admin, a sales manager and three reps on team "EMEA" (with passwords, so
/// they can sign in), a territory sending EMEA accounts to it, and the starter definition active. A demo request from
/// someone at a fitting account makes them an MQL through real ingestion, which hands them to sales.
/// </summary>
internal sealed class HandoffWorld
{
    public static readonly DateTimeOffset Monday9 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private int _n;

    public required TestApp App { get; init; }
    public int TeamId { get; private set; }
    public int AdminId { get; private set; }
    public int ManagerId { get; private set; }
    public int[] Reps { get; private set; } = [];
    public string Email(int userId) => $"u{userId}@acme.test";

    public static async Task<HandoffWorld> StartAsync(string provider, Dictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        var app = await TestApp.StartAsync(provider, now ?? Monday9, configure: Settings(settings));
        var world = new HandoffWorld { App = app };
        await world.SetUpAsync();
        return world;
    }

    /// <summary>The team on a database the caller keeps (for restarts); the app does not delete it when disposed.</summary>
    public static async Task<HandoffWorld> StartOnAsync(TestDb db, FakeTimeProvider clock, Dictionary<string, string?>? settings = null)
    {
        var world = new HandoffWorld { App = await TestApp.StartOnAsync(db, clock, configure: Settings(settings)) };
        await world.SetUpAsync();
        return world;
    }

    /// <summary>Background loops off unless a test turns them on: tests drive each pass.</summary>
    public static Action<WebApplicationBuilder> Settings(Dictionary<string, string?>? settings) => b => b.Configuration.AddInMemoryCollection(
        new Dictionary<string, string?> { ["Sla:RunInBackground"] = "false", ["Webhooks:RunInBackground"] = "false" }
            .Concat(settings ?? []).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value));

    public static Dictionary<string, string?> Smtp(SmtpSink sink) => new()
    {
        ["Smtp:Host"] = sink.Host, ["Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:From"] = "tandem@acme.test", ["Smtp:Tls"] = "None",
    };

    private async Task SetUpAsync()
    {
        AdminId = await App.AddUserAsync("admin@acme.test", Role.Admin);
        ManagerId = await App.AddUserAsync("manager@acme.test", Role.SalesManager);
        Reps = [await App.AddUserAsync("rep1@acme.test", Role.SalesRep), await App.AddUserAsync("rep2@acme.test", Role.SalesRep),
            await App.AddUserAsync("rep3@acme.test", Role.SalesRep)];
        await using var db = App.Db.Open(App.Clock);
        var team = new Team { Name = "EMEA", Kind = TeamKind.Sales };
        db.Teams.Add(team);
        await db.SaveChangesAsync(Ct);
        TeamId = team.Id;
        foreach (var u in await db.Users.ToListAsync(Ct))
        {
            u.Email = Email(u.Id);
            if (u.Role is Role.SalesRep or Role.SalesManager) u.TeamId = team.Id;
            if (u.Role == Role.SalesRep) u.ManagerId = ManagerId;
        }
        db.TerritoryRules.Add(new TerritoryRule { Name = "EMEA", Position = 1, Region = "EMEA", TeamId = team.Id });
        var content = StarterDefinition.Content;
        db.LeadDefinitions.Add(new LeadDefinition
        {
            Number = 1, Status = DefinitionStatus.Active, Content = content.ToJson(), ContentHash = content.Hash(), CreatedBy = "test",
            ActivatedAt = db.UtcNow,
        });
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>A fitting account (software, 600 employees, EMEA); returns its id.</summary>
    public async Task<int> AccountAsync(string domain, int? ownerId = null)
    {
        await using var db = App.Db.Open(App.Clock);
        var a = new Account { Name = domain.Split('.')[0], Domain = domain, Industry = "Software", EmployeeCount = 600, Country = "Germany", Region = "EMEA", OwnerId = ownerId };
        db.Accounts.Add(a);
        await db.SaveChangesAsync(Ct);
        return a.Id;
    }

    /// <summary>A demo request (fast track) from <paramref name="email"/>: an MQL, handed to sales. Returns the handoff.</summary>
    public async Task<HandoffDto> MqlAsync(string email)
    {
        var res = await App.PostAsync<Features.Touches.BatchResult>("/api/touches:batch", new
        {
            touches = new[] { new { eventId = $"h{++_n}-{email}", email, type = "DemoRequest", channel = "Webinar", occurredAt = App.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5) } },
        });
        Assert.Equal(1, res.Mqls);
        var list = await App.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={await PersonIdAsync(email)}");
        return Assert.Single(list);
    }

    public async Task<int> PersonIdAsync(string email)
    {
        await using var db = App.Db.Open(App.Clock);
        return await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync(Ct);
    }

    public Task<Browser> SignInAsync(int userId) => App.SignInAsync(Email(userId));

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, TestApp.Json, Ct);
}
