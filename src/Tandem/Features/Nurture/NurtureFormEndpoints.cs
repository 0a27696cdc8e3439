using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Components.Nurture;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Insight;

namespace Tandem.Features.Nurture;

/// <summary>
/// The track editor's form posts (/nurture/new, /nurture/{id}/edit): antiforgery-checked by form binding, for those who may change
/// the setup (as POST/PUT /api/nurture/tracks). <see cref="TrackForm"/> turns the fields into a track and checks it; a good save
/// redirects to the track, a refused one shows the editor again as posted, each error beside its row (decision 0077).
/// </summary>
public static class NurtureFormEndpoints
{
    public static WebApplication MapNurtureFormEndpoints(this WebApplication app)
    {
        var g = app.MapGroup("/nurture").ExcludeFromDescription().RequireAuthorization(Permissions.WriteSetup);
        // The editor pages are routed at the same addresses and Blazor pages accept POST: the lower order wins.
        g.MapPost("/new", (IFormCollection form, HttpContext http, TandemDb db, IConfiguration config, CancellationToken ct) => SaveAsync(null, form, http, db, config, ct))
            .Add(b => ((RouteEndpointBuilder)b).Order = -1);
        g.MapPost("/{id:int}/edit", (int id, IFormCollection form, HttpContext http, TandemDb db, IConfiguration config, CancellationToken ct) => SaveAsync(id, form, http, db, config, ct))
            .Add(b => ((RouteEndpointBuilder)b).Order = -1);
        return app;
    }

    private static async Task<IResult> SaveAsync(int? id, IFormCollection form, HttpContext http, TandemDb db, IConfiguration config, CancellationToken ct)
    {
        db.Actor = http.User.Actor();
        NurtureTrack? track = null;
        if (id is { } existing && (track = await db.NurtureTracks.FirstOrDefaultAsync(t => t.Id == existing, ct)) is null)
            return Results.LocalRedirect($"/nurture?error={Uri.EscapeDataString($"Track {existing} does not exist.")}");
        var posted = form.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal);
        var tf = TrackForm.Read(posted);
        var (content, status, version, errors) = tf.ToContent();
        if (content?.NamesChannels() == true) content = content.WithKnownChannels(await Channels.ChannelSet.LoadAsync(db, ct), errors, _ => TrackForm.Channels);
        var name = tf.TrackName.Trim();
        if (!errors.Has(TrackForm.Name) && await db.NurtureTracks.AnyAsync(t => t.Id != (id ?? 0) && t.Name == name, ct))
            errors.Add(TrackForm.Name, $"A track named '{name}' exists: choose another name.");
        string? message = null;
        if (track is not null && version != track.Version)
            message = $"Someone else saved '{track.Name}' after you opened it. Your changes are below but were not saved: reload the track, then apply them again.";
        if (!errors.Any && message is null)
        {
            if (track is null)
            {
                db.NurtureTracks.Add(track = new NurtureTrack { Name = name, Status = status, Content = content!.ToJson(), CreatedAt = db.UtcNow });
                await db.SaveChangesAsync(ct);
                return Results.LocalRedirect($"/nurture/{track.Id}?saved=1");
            }
            (track.Name, track.Status, track.Content) = (name, status, content!.ToJson());
            db.Entry(track).Property(x => x.Version).OriginalValue = version!.Value;
            if (await db.TrySaveAsync(ct)) return Results.LocalRedirect($"/nurture/{track.Id}?saved=1");
            message = $"Someone else saved '{name}' after you opened it. Your changes are below but were not saved: reload the track, then apply them again.";
        }
        var choices = await TrackChoices.LoadAsync(db, Personas.FromConfiguration(config), ct);
        var state = new TrackEditorState(id, tf.Padded(), errors.ToDictionary(), message, choices);
        return new RazorComponentResult<TrackEditorDocument>(new { State = state }) { StatusCode = StatusCodes.Status422UnprocessableEntity };
    }
}
