using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Channels;

/// <summary>The channels page's forms: plain antiforgery-checked posts that redirect back with what happened.</summary>
public static class ChannelFormEndpoints
{
    private const string Page = "/admin/channels";

    public static WebApplication MapChannelFormEndpoints(this WebApplication app)
    {
        app.MapPost(Page, Add).ExcludeFromDescription().RequireAuthorization(Permissions.Admin);
        app.MapPost(Page + "/{key}", Rename).ExcludeFromDescription().RequireAuthorization(Permissions.Admin);
        return app;
    }

    private static async Task<IResult> Add(IFormCollection form, TandemDb db, CancellationToken ct)
    {
        var (key, label, group) = (form["key"].ToString(), Blank(form["label"]), form["group"].ToString());
        var problems = ChannelRules.CheckNew(await ChannelSet.LoadAsync(db, ct), key, label, group);
        if (problems.Count > 0) return Back(error: string.Join(" ", problems.Select(p => p.Message)));
        var row = ChannelRules.NewRow(key, label, group);
        db.Channels.Add(row);
        await db.SaveChangesAsync(ct);
        return Back(saved: row.Label);
    }

    private static async Task<IResult> Rename(string key, IFormCollection form, TandemDb db, CancellationToken ct)
    {
        var row = await db.Channels.FirstOrDefaultAsync(c => c.Key == key, ct);
        if (row is null) return Back(error: $"There is no channel with key '{key}'.");
        var (label, group) = (form["label"].ToString(), form["group"].ToString());
        var problems = ChannelRules.CheckEdit(await ChannelSet.LoadAsync(db, ct), new Channel(row.Key), label, group);
        if (!int.TryParse(form["version"], out var version)) problems.Add(("version", "The form lost the version it was read at; reload the page."));
        if (problems.Count > 0) return Back(error: string.Join(" ", problems.Select(p => p.Message)));
        db.Entry(row).Property(x => x.Version).OriginalValue = version;
        (row.Label, row.Group) = (label.Trim(), ChannelRules.Group(group));
        return await db.TrySaveAsync(ct)
            ? Back(saved: row.Label)
            : Back(error: $"Someone else changed the channel '{key}' meanwhile; the page now shows their version. Apply your change again.");
    }

    private static string? Blank(Microsoft.Extensions.Primitives.StringValues v) => string.IsNullOrWhiteSpace(v) ? null : v.ToString();

    private static IResult Back(string? error = null, string? saved = null) => Results.LocalRedirect(
        Page + (error is not null ? "?error=" + Uri.EscapeDataString(error) : saved is not null ? "?saved=" + Uri.EscapeDataString(saved) : ""));
}
