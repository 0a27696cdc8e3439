using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Campaigns;

public sealed record CampaignDto(int Id, string? ExternalId, string Name, Channel Channel, long CostMinor, string Currency,
    DateTime? StartsAt, DateTime? EndsAt, DateTime CreatedAt, DateTime UpdatedAt, int Version)
{
    public static CampaignDto From(Campaign c) => new(c.Id, c.ExternalId, c.Name, c.Channel, c.CostMinor, c.Currency, c.StartsAt,
        c.EndsAt, c.CreatedAt, c.UpdatedAt, c.Version);
}

public sealed record CampaignInput(string? Name, Channel? Channel, long? CostMinor, string? Currency, DateTime? StartsAt,
    DateTime? EndsAt, string? ExternalId, int? Version);

public static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/campaigns").WithTags("Campaigns");
        g.MapGet("/", List).WithName("ListCampaigns").WithSummary("List and search campaigns.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{id:int}", Get).WithName("GetCampaign").WithSummary("One campaign.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Create).WithName("CreateCampaign").WithSummary("Create a campaign.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPut("/{id:int}", Update).WithName("UpdateCampaign").WithSummary("Replace a campaign's fields; send the version you read.")
            .RequireAuthorization(Permissions.WriteSetup);
        return api;
    }

    private static async Task<Ok<Page<CampaignDto>>> List(TandemDb db, string? q, Channel? channel, int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.Campaigns.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(c => c.Name.ToLower().Contains(q.Trim().ToLowerInvariant()));
        if (channel is not null) query = query.Where(c => c.Channel == channel);
        return TypedResults.Ok(await query.OrderBy(c => c.Id).ToPageAsync(page, pageSize, CampaignDto.From, ct));
    }

    private static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> Get(TandemDb db, int id, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) is { } c
            ? TypedResults.Ok(CampaignDto.From(c))
            : Problems.NotFound("Campaign", id);

    private static async Task<Results<Created<CampaignDto>, ValidationProblem>> Create(TandemDb db, CampaignInput input, CancellationToken ct)
    {
        var channels = await Channels.ChannelSet.LoadAsync(db, ct);
        var errors = await ValidateAsync(db, input, null, channels, ct);
        if (errors.Any) return errors.ToProblem();
        var c = new Campaign { Name = input.Name!.Trim() };
        Apply(c, input, channels);
        db.Campaigns.Add(c);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/campaigns/{c.Id}", CampaignDto.From(c));
    }

    private static async Task<Results<Ok<CampaignDto>, ValidationProblem, ProblemHttpResult>> Update(
        TandemDb db, int id, CampaignInput input, CancellationToken ct)
    {
        var c = await db.Campaigns.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Problems.NotFound("Campaign", id);
        var channels = await Channels.ChannelSet.LoadAsync(db, ct);
        var errors = await ValidateAsync(db, input, id, channels, ct);
        if (input.Version is null) errors.Add("version", "'version' is required on update: send the version you last read.");
        if (errors.Any) return errors.ToProblem();
        db.Entry(c).Property(x => x.Version).OriginalValue = input.Version!.Value;
        c.Name = input.Name!.Trim();
        Apply(c, input, channels);
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Campaign {id}", input.Version.Value);
        return TypedResults.Ok(CampaignDto.From(c));
    }

    private static async Task<Errors> ValidateAsync(TandemDb db, CampaignInput input, int? selfId, Channels.ChannelSet channels, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name).Texts<Campaign>(input);
        if (input.Channel is null) e.Add("channel", "'channel' is required: one of " + channels.Keys + ".");
        else if (channels.Find(input.Channel.Value.Key) is null) e.Add("channel", channels.Unknown(input.Channel.Value.Key));
        if (Money.AmountProblem(input.CostMinor, "costMinor") is { } cost) e.Add("costMinor", cost);
        if (input.Currency is { } cur && !Money.IsCurrency(cur)) e.Add("currency", $"'{cur}' is not a three-letter currency code.");
        if (input.StartsAt is { } s && input.EndsAt is { } end && end < s) e.Add("endsAt", "'endsAt' is before 'startsAt'.");
        if (input.ExternalId is { } x && await db.Campaigns.AnyAsync(c => c.ExternalId == x && c.Id != selfId, ct))
            e.Add("externalId", $"Another campaign already has externalId '{x}'.");
        return e;
    }

    private static void Apply(Campaign c, CampaignInput input, Channels.ChannelSet channels)
    {
        c.Channel = channels.Find(input.Channel!.Value.Key)!.Channel;
        c.CostMinor = input.CostMinor ?? 0;
        c.Currency = input.Currency?.ToUpperInvariant() ?? c.Currency;
        c.StartsAt = input.StartsAt;
        c.EndsAt = input.EndsAt;
        c.ExternalId = string.IsNullOrWhiteSpace(input.ExternalId) ? null : input.ExternalId.Trim();
    }
}
