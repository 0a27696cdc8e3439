using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Campaigns;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Properties;
using Tandem.Features.Touches;
using Tandem.Features.Users;

namespace Tandem.Tests.Insight;

/// <summary>Writes a small funnel with exact times straight into a test database, so report figures can be worked out by hand.</summary>
internal sealed class InsightScenario(TandemDb db)
{
    private int _events;

    public static DateTime D(int month, int day, int year = 2026) => new(year, month, day, 12, 0, 0, DateTimeKind.Utc);

    public async Task<int> CampaignAsync(string name, Channel channel, long costMinor, DateTime? starts = null, DateTime? ends = null, string currency = "USD")
    {
        var c = new Campaign { Name = name, Channel = channel, CostMinor = costMinor, Currency = currency, StartsAt = starts, EndsAt = ends, CreatedAt = D(1, 1) };
        db.Campaigns.Add(c);
        await db.SaveChangesAsync();
        return c.Id;
    }

    public async Task<int> AccountAsync(string name, string? industry = null, int? employees = null, string? region = null)
    {
        var a = new Account { Name = name, Industry = industry, EmployeeCount = employees, Region = region, CreatedAt = D(1, 1) };
        db.Accounts.Add(a);
        await db.SaveChangesAsync();
        return a.Id;
    }

    public async Task<int> UserAsync(string name, string? team = null)
    {
        int? teamId = null;
        if (team is not null)
        {
            var t = db.Teams.Local.FirstOrDefault(x => x.Name == team) ?? db.Teams.Add(new Team { Name = team, Kind = TeamKind.Sales }).Entity;
            await db.SaveChangesAsync();
            teamId = t.Id;
        }
        var u = new User { Name = name, Email = name.Replace(' ', '.').ToLowerInvariant() + "@example.test", TeamId = teamId, CreatedAt = D(1, 1) };
        db.Users.Add(u);
        await db.SaveChangesAsync();
        return u.Id;
    }

    /// <summary>A person and their stage path: (stage, when, cause). The first entry is their creation.</summary>
    public async Task<int> PersonAsync(string email, Channel? channel, (LifecycleStage Stage, DateTime At, string Cause)[] path,
        int? campaignId = null, string? title = null, int? accountId = null, int? ownerId = null, Dictionary<string, string>? props = null,
        string? reason = null)
    {
        var last = path[^1];
        var p = new Person
        {
            Email = email, SourceChannel = channel, SourceCampaignId = campaignId, Title = title, AccountId = accountId, OwnerId = ownerId,
            Stage = last.Stage, StageChangedAt = last.At, CreatedAt = path[0].At,
        };
        db.People.Add(p);
        await db.SaveChangesAsync();
        LifecycleStage? from = null;
        foreach (var (stage, at, cause) in path)
        {
            db.StageChanges.Add(new StageChange
            {
                PersonId = p.Id, From = from, To = stage, At = at, Cause = cause, Actor = "system",
                Reason = stage is LifecycleStage.Disqualified or LifecycleStage.Nurture ? reason ?? "test" : null,
            });
            from = stage;
        }
        await Props.ReplaceAsync(db, SubjectKind.Person, p.Id, props, CancellationToken.None);
        await db.SaveChangesAsync();
        return p.Id;
    }

    public async Task TouchAsync(int personId, DateTime at, Channel channel, TouchType type = TouchType.WebVisit, int? campaignId = null)
    {
        db.Touches.Add(new Touch { EventId = $"t-{++_events}-{personId}", PersonId = personId, OccurredAt = at, ReceivedAt = at, Channel = channel, Type = type, CampaignId = campaignId });
        await db.SaveChangesAsync();
    }

    public async Task<int> DealAsync(int? personId, long amountMinor, DateTime created, Outcome outcome = Outcome.Open, DateTime? closed = null,
        string currency = "USD", string? reason = null, int? ownerId = null, int? accountId = null)
    {
        var o = new Opportunity
        {
            Name = $"Deal {amountMinor}", PrimaryPersonId = personId, AmountMinor = amountMinor, Currency = currency, SalesStage = outcome.ToString(),
            CreatedAt = created, Outcome = outcome, ClosedAt = closed, OutcomeReason = reason, OwnerId = ownerId, AccountId = accountId, RecordedAt = created,
        };
        db.Opportunities.Add(o);
        await db.SaveChangesAsync();
        return o.Id;
    }
}
