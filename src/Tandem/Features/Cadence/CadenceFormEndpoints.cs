using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Cadence;

/// <summary>
/// The sync page's forms (plain posts, antiforgery-checked by form binding, the API's permission and rules): add a note
/// heard, raise an action (assigned in the meeting), mark one done. Each answers with a redirect back to the week's page.
/// </summary>
public static class CadenceFormEndpoints
{
    public static WebApplication MapCadenceFormEndpoints(this WebApplication app)
    {
        var g = app.MapGroup("/sync/{week}").ExcludeFromDescription().RequireAuthorization(Permissions.WriteLeads);
        g.MapPost("/notes", async ([FromForm] string? kind, [FromForm] string? text, [FromForm] string? about, string week, HttpContext http,
            TandemDb db, CancellationToken ct) =>
        {
            db.Actor = http.User.Actor();
            var (personId, err) = await PersonAsync(db, about, ct);
            if (err is not null) return Back(week, "error", err);
            var k = Enum.TryParse<NoteKind>(kind, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (NoteKind?)null;
            var user = http.User.UserId() is { } id ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) : null;
            var (note, errors) = await CadenceWrites.AddNoteAsync(db, new NoteInput(k, text, personId, null, null, null), user?.Id, user?.Name ?? db.Actor, ct);
            return note is null ? Back(week, "error", First(errors)) : Back(week, "done", $"{FieldNote.Label(note.Kind)} added.");
        });
        g.MapPost("/actions", async ([FromForm] string? title, [FromForm] int? ownerId, [FromForm] string? dueOn, string week, HttpContext http,
            TandemDb db, SyncRecords records, CancellationToken ct) =>
        {
            db.Actor = http.User.Actor();
            DateOnly? due = null;
            if (!string.IsNullOrWhiteSpace(dueOn))
            {
                if (!DateOnly.TryParse(dueOn, CultureInfo.InvariantCulture, out var d)) return Back(week, "error", $"dueOn: '{dueOn}' is not a date.");
                due = d;
            }
            var (item, errors) = await CadenceWrites.AddActionAsync(db, new ActionInput(title, ownerId, due, week), records.ThisWeek(db), ct);
            return item is null ? Back(week, "error", First(errors)) : Back(week, "done", "Action item added.");
        });
        g.MapPost("/actions/{id:int}/done", async ([FromForm] int? version, string week, int id, HttpContext http, TandemDb db, CancellationToken ct) =>
        {
            db.Actor = http.User.Actor();
            var item = await db.ActionItems.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (item is null) return Back(week, "error", $"Action item {id} does not exist.");
            if (version != item.Version) return Back(week, "error", "Someone changed this action item meanwhile; reload and try again.");
            item.Status = ActionStatus.Done;
            item.DoneAt = db.UtcNow;
            return await Api.Problems.TrySaveAsync(db, ct) ? Back(week, "done", "Marked done.")
                : Back(week, "error", "Someone changed this action item meanwhile; reload and try again.");
        });
        // "Add a note" on a lead's or a person's page (AddNote.razor): the same checks as the API, then back to that page.
        app.MapPost("/sync/notes/new", async ([FromForm] string? kind, [FromForm] string? text, [FromForm] int? personId, [FromForm] int? opportunityId,
            [FromForm(Name = "return")] string? back, HttpContext http, TandemDb db, CancellationToken ct) =>
        {
            db.Actor = http.User.Actor();
            var page = LocalPage(back);
            var k = Enum.TryParse<NoteKind>(kind, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (NoteKind?)null;
            var user = http.User.UserId() is { } id ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) : null;
            var (note, errors) = await CadenceWrites.AddNoteAsync(db, new NoteInput(k, text, personId, null, opportunityId, null), user?.Id, user?.Name ?? db.Actor, ct);
            var (key, message) = note is null ? ("noteError", First(errors)) : ("noteDone", $"{FieldNote.Label(note.Kind)} added. It is in this week's sync and on the field notes page.");
            return Results.LocalRedirect($"{page}?{key}={Uri.EscapeDataString(message)}#add-note");
        }).ExcludeFromDescription().RequireAuthorization(Permissions.WriteLeads);
        return app;
    }

    /// <summary>Only a path on this site (never "//host" or a full address): the form's return field is the client's to change.</summary>
    public static string LocalPage(string? back) =>
        back is { Length: > 1 } b && b[0] == '/' && b[1] != '/' && b[1] != '\\' && !b.Contains('?') && !b.Contains('#') && !b.Any(char.IsControl) ? b : "/sync/notes";

    /// <summary>The person a note is about, by email (the page's field); empty is fine.</summary>
    private static async Task<(int?, string?)> PersonAsync(TandemDb db, string? about, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(about)) return (null, null);
        var email = about.Trim().ToLowerInvariant();
        var id = await db.People.AsNoTracking().Where(p => p.Email == email).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        return id is null ? (null, $"about: nobody has the email '{about.Trim()}'.") : (id, null);
    }

    private static string First(Api.Errors e) => e.ToDictionary().Select(kv => $"{kv.Key}: {kv.Value[0]}").First();

    private static IResult Back(string week, string key, string message) =>
        Results.LocalRedirect($"/sync/{Uri.EscapeDataString(week)}?{key}={Uri.EscapeDataString(message)}#{(key == "error" ? "top" : "agenda")}");
}
