using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Components.Agreement;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Agreement;

/// <summary>
/// The Agreement pages' forms: plain posts, antiforgery-checked by form binding, for those who may change the setup
/// (the same permission as POST/PUT /api/definitions). They use the same shared code as the API (Definitions,
/// DefinitionValidation, DefinitionReviewing) and answer with a redirect back to the page, or the editor again with its errors.
/// </summary>
public static class DefinitionFormEndpoints
{
    public static WebApplication MapDefinitionFormEndpoints(this WebApplication app)
    {
        var g = app.MapGroup("/agreement").ExcludeFromDescription().RequireAuthorization(Permissions.WriteSetup);
        g.MapPost("/drafts", NewDraft);
        // The editor page is also routed at /agreement/{n}/edit and Blazor pages accept POST: the lower order wins.
        g.MapPost("/{number:int}/edit", Save).Add(b => ((RouteEndpointBuilder)b).Order = -1);
        g.MapPost("/{number:int}/reviews", Review);
        return app;
    }

    private static async Task<IResult> NewDraft([FromForm] int? basedOn, [FromForm] string? note, HttpContext http, TandemDb db, CancellationToken ct)
    {
        db.Actor = http.User.Actor();
        var from = basedOn is { } n
            ? await db.LeadDefinitions.FirstOrDefaultAsync(x => x.Number == n, ct)
            : await db.LeadDefinitions.FirstOrDefaultAsync(x => x.Status == DefinitionStatus.Active, ct);
        if (basedOn is not null && from is null) return Back("/agreement", $"Definition version {basedOn} does not exist.");
        // A new install has nothing to copy: its first draft starts from the starter definition.
        var content = from?.Parsed() ?? StarterDefinition.Content;
        var d = await Definitions.CreateDraftAsync(db, content, note, from, ct);
        return Results.LocalRedirect($"/agreement/{d.Number}/edit?created=1");
    }

    private static async Task<IResult> Save(int number, IFormCollection form, HttpContext http, TandemDb db, CancellationToken ct)
    {
        db.Actor = http.User.Actor();
        var d = await Definitions.FindAsync(db, number, ct);
        if (d is null) return Back("/agreement", $"Definition version {number} does not exist.");
        if (d.Status != DefinitionStatus.Draft)
            return Back($"/agreement/{number}", $"v{number} is {d.Status.ToString().ToLowerInvariant()} and never changes. Start a new draft from it to propose a change.");

        var posted = form.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString(), StringComparer.Ordinal);
        var jsonMode = posted.GetValueOrDefault("mode") == "json";
        var json = posted.GetValueOrDefault("json") ?? "";
        var note = posted.GetValueOrDefault("note");
        var stored = d.Parsed();
        var errors = new Errors();
        DefinitionContent? content;
        if (jsonMode)
        {
            try { content = DefinitionContent.FromJson(json); }
            catch (JsonException ex) { content = null; errors.Add("content", $"The JSON does not read as a definition: {ex.Message}"); }
        }
        else (content, errors) = DraftForm.Apply(stored, posted);
        if (!errors.Any && DefinitionValidation.Validate(content) is { Any: true } invalid) errors = invalid;

        string? message = null;
        if (!int.TryParse(posted.GetValueOrDefault("version"), out var version)) message = "The form lost its version number: reload the draft and try again.";
        else if (version != d.Version) message = StaleMessage(d);
        if (!errors.Any && message is null)
        {
            Definitions.Edit(d, content!, note);
            db.Entry(d).Property(x => x.Version).OriginalValue = version;
            if (await db.TrySaveAsync(ct)) return Results.LocalRedirect($"/agreement/{number}?saved=1");
            message = StaleMessage(d);
        }

        // Shown again as posted, with each error beside its field, so nothing typed is lost.
        var state = new DraftEditorState(d.Number, version, d.ContentHash, note, stored, posted,
            jsonMode ? json : DraftEditorState.Pretty(stored), jsonMode, errors.ToDictionary(), message);
        return new RazorComponentResult<DraftEditorDocument>(new { State = state }) { StatusCode = StatusCodes.Status422UnprocessableEntity };
    }

    private static string StaleMessage(LeadDefinition d) =>
        $"Someone else saved v{d.Number} after you opened it. Your changes are below but were not saved: reload the draft, then apply them again.";

    private static async Task<IResult> Review(int number, [FromForm] string? decision, [FromForm] string? contentHash, [FromForm] string? comment,
        HttpContext http, TandemDb db, CancellationToken ct)
    {
        db.Actor = http.User.Actor();
        ReviewDecision? parsed = Enum.TryParse<ReviewDecision>(decision, ignoreCase: true, out var dec) && Enum.IsDefined(dec) ? dec : null;
        var outcome = await DefinitionReviewing.SubmitAsync(db, number, new ReviewInput(parsed, contentHash, comment), http.User, ct);
        if (!outcome.Recorded) return Back($"/agreement/{number}", outcome.Message!, "#review");
        var r = outcome.Result!;
        return Results.LocalRedirect($"/agreement/{number}?{(r.Activated ? "activated=1" : "reviewed=" + parsed)}#review");
    }

    private static IResult Back(string page, string error, string anchor = "") =>
        Results.LocalRedirect($"{page}?error={Uri.EscapeDataString(error)}{anchor}");
}
