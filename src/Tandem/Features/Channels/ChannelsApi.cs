using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Channels;

public sealed record ChannelDto(string Key, string Label, string? Group, int Version);

public sealed record ChannelInput(string? Key, string? Label, string? Group, int? Version);

/// <summary>The channel taxonomy: everyone reads it, an admin adds and renames channels (keys never change; rows are never deleted).</summary>
public static class ChannelsApi
{
    public static RouteGroupBuilder MapChannelsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/channels").WithTags("Channels");
        g.MapGet("/", List).WithName("ListChannels").WithSummary("The channel taxonomy: key, label and roll-up group.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/", Add).WithName("AddChannel").WithSummary("Add a channel; its key is what touches, people and campaigns store.")
            .RequireAuthorization(Permissions.Admin);
        g.MapPut("/{key}", Rename).WithName("RenameChannel").WithSummary("Change a channel's label or group; send the version you read.")
            .RequireAuthorization(Permissions.Admin);
        return api;
    }

    private static ChannelDto Dto(ChannelRow r) => new(r.Key, r.Label, r.Group, r.Version);

    private static async Task<Ok<List<ChannelDto>>> List(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Channels.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct)).Select(Dto).ToList());

    private static async Task<Results<Created<ChannelDto>, ValidationProblem>> Add(TandemDb db, ChannelInput input, CancellationToken ct)
    {
        var problems = ChannelRules.CheckNew(await ChannelSet.LoadAsync(db, ct), input.Key, input.Label, input.Group);
        if (problems.Count > 0) return ToProblem(problems);
        var row = ChannelRules.NewRow(input.Key!, input.Label, input.Group);
        db.Channels.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/channels/{row.Key}", Dto(row));
    }

    private static async Task<Results<Ok<ChannelDto>, ValidationProblem, ProblemHttpResult>> Rename(TandemDb db, string key, ChannelInput input, CancellationToken ct)
    {
        var row = Channel.TryParse(key, null, out _) ? await db.Channels.FirstOrDefaultAsync(c => c.Key == key, ct) : null;
        if (row is null) return Problems.NotFound("Channel", key);
        var problems = ChannelRules.CheckEdit(await ChannelSet.LoadAsync(db, ct), new Channel(row.Key), input.Label, input.Group);
        if (input.Version is null) problems.Add(("version", "'version' is required on update: send the version you last read."));
        if (problems.Count > 0) return ToProblem(problems);
        db.Entry(row).Property(x => x.Version).OriginalValue = input.Version!.Value;
        (row.Label, row.Group) = (input.Label?.Trim() ?? row.Label, input.Group is null ? row.Group : ChannelRules.Group(input.Group));
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Channel {key}", input.Version.Value);
        return TypedResults.Ok(Dto(row));
    }

    private static ValidationProblem ToProblem(IEnumerable<(string Field, string Message)> problems)
    {
        var e = new Errors();
        foreach (var (field, message) in problems) e.Add(field, message);
        return e.ToProblem();
    }
}
