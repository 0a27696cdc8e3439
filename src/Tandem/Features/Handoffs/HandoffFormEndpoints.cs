using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Handoffs;

/// <summary>
/// The lead page's forms: plain posts, antiforgery-checked by form binding, with the API's permission (WorkLeads) and
/// the same rules (<see cref="HandoffActions"/>, reps only on their own leads). They answer with a redirect back to the
/// lead page, saying what happened or what was wrong.
/// </summary>
public static class HandoffFormEndpoints
{
    public static WebApplication MapHandoffFormEndpoints(this WebApplication app)
    {
        var g = app.MapGroup("/handoff/{id:int}").ExcludeFromDescription().RequireAuthorization(Permissions.WorkLeads);
        g.MapPost("/attempts", ([FromForm] string? kind, [FromForm] string? note, [FromForm] int? version, int id, HttpContext http, TandemDb db, CancellationToken ct) =>
            ActAsync(db, http, id, "Attempt logged.", (h, actor) => HandoffActions.LogAttemptAsync(db, h,
                new AttemptInput(Enum.TryParse<AttemptKind>(kind, true, out var k) && Enum.IsDefined(k) ? k : null, null, note, version), actor, ct), ct));
        g.MapPost("/accept", ([FromForm] int? version, int id, HttpContext http, TandemDb db, CancellationToken ct) =>
            ActAsync(db, http, id, "Accepted: the lead is now SAL.", (h, actor) => HandoffActions.AcceptAsync(db, h, new DecisionInput(null, version), actor, ct), ct));
        g.MapPost("/convert", ([FromForm] string? name, [FromForm] string? amount, [FromForm] int? version, int id, HttpContext http, TandemDb db,
            CompanyOptions company, CancellationToken ct) =>
            ActAsync(db, http, id, "Converted: the lead is now SQL with a new opportunity.", (h, actor) =>
                long.TryParse(amount, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) || string.IsNullOrWhiteSpace(amount)
                    ? HandoffActions.ConvertAsync(db, h, new ConvertInput(name, string.IsNullOrWhiteSpace(amount) ? null : whole * 100, null, null, null, version), company.Code, actor, ct)
                    : Task.FromResult<ActionError?>(ActionError.Invalid("amount", $"'{amount}' is not a whole amount.")), ct));
        g.MapPost("/reject", ([FromForm] string? reason, [FromForm] string? note, [FromForm] string? reengageAt, [FromForm] int? version, int id,
            HttpContext http, TandemDb db, CancellationToken ct) =>
            ActAsync(db, http, id, "Rejected; marketing sees the reason.", (h, actor) =>
                HandoffActions.RejectAsync(db, h, new RejectInput(reason, note,
                    DateOnly.TryParse(reengageAt, CultureInfo.InvariantCulture, out var d) ? d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null, version), actor, ct), ct));
        // The team queue's form: answers back to the queue (with its filters) rather than the lead page.
        app.MapPost("/handoff/team/{id:int}/reassign", async ([FromForm] int? assigneeId, [FromForm] string? note, [FromForm] int? version,
            [FromForm] string? back, int id, HttpContext http, TandemDb db, CancellationToken ct) =>
        {
            db.Actor = http.User.Actor();
            var to = back is { } b && b.StartsWith("/handoff/team", StringComparison.Ordinal) && !b.StartsWith("//", StringComparison.Ordinal) ? b : "/handoff/team";
            string Back(string query) => $"{to}{(to.Contains('?') ? '&' : '?')}{query}";
            var h = await db.Handoffs.FirstOrDefaultAsync(x => x.Id == id, ct);
            if (h is null) return Results.LocalRedirect(Back($"error={Uri.EscapeDataString($"Lead {id} does not exist.")}"));
            if (await TeamScope.ForAsync(db, http.User, ct) is not { } scope)
            {
                await DenialRecorder.RecordAsync(http, $"reassigning lead {id} without managing a team");
                // Refused like any other permission: the sign-in's "access denied" page, not an error on a queue the
                // rep is not shown (a rep sees no reassign form; FormsByRoleTests holds forms and refusals together).
                return Results.Forbid();
            }
            if (await HandoffActions.ReassignAsync(db, h, new ReassignInput(assigneeId, note, version), scope, http.User.Actor(), ct) is { } e)
                return Results.LocalRedirect(Back($"error={Uri.EscapeDataString(e.Detail)}"));
            var name = await db.Users.AsNoTracking().Where(u => u.Id == assigneeId).Select(u => u.Name).FirstAsync(ct);
            var lead = (await db.People.AsNoTracking().FirstAsync(p => p.Id == h.PersonId, ct)).DisplayName;
            return Results.LocalRedirect(Back($"done={Uri.EscapeDataString($"{lead} is now {name}'s; the SLA clock restarted for them.")}"));
        }).ExcludeFromDescription().RequireAuthorization(Permissions.WorkLeads);
        return app;
    }

    private static async Task<IResult> ActAsync(TandemDb db, HttpContext http, int id, string done, Func<Handoff, string, Task<ActionError?>> action, CancellationToken ct)
    {
        db.Actor = http.User.Actor();
        var h = await db.Handoffs.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return Results.LocalRedirect($"/handoff?error={Uri.EscapeDataString($"Lead {id} does not exist.")}");
        if (await OwnRecords.RefuseUnlessMineAsync(http, h.AssigneeId, $"lead {id}") is { } forbidden)
            return Back(id, $"error={Uri.EscapeDataString(forbidden.ProblemDetails.Detail ?? "Not yours.")}");
        return await action(h, http.User.Actor()) is { } e
            ? Back(id, $"error={Uri.EscapeDataString(e.Field is null ? e.Detail : $"{e.Field}: {e.Detail}")}")
            : Back(id, $"done={Uri.EscapeDataString(done)}");
    }

    private static IResult Back(int id, string query) => Results.LocalRedirect($"/handoff/{id}?{query}");
}
