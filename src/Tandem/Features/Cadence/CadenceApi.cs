using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Insight;
using Tandem.Features.Notifications;

namespace Tandem.Features.Cadence;

public sealed record SyncWeekDto(string Week, int Revision, string Sha256, string? Reason, DateTime CreatedAt);
/// <param name="AsOf">For a week not yet written, when its live document was built from the data; null once written.</param>
public sealed record SyncRecordDto(string Week, bool Written, int? Revision, string? Sha256, string? Reason, IReadOnlyList<SyncWeekDto> Revisions,
    IReadOnlyList<EmailStatusDto> Emails, SyncDocument Document, DateTime? AsOf);
public sealed record EmailStatusDto(string To, string Status, int Attempts, DateTime? SentAt, DateTime NextAttemptAt, string? LastError);
public sealed record ReviseInput(string? Reason);
public sealed record ActionUpdate(ActionStatus? Status, int? OwnerId, DateOnly? DueOn, int? Version);
public sealed record KpiDraftInput(List<KpiDefinition>? Kpis, string? Note);
public sealed record KpiApproveInput(string? ContentHash);
public sealed record ScorecardDto(int Number, string Status, string ContentHash, string? Note, DateTime CreatedAt, IReadOnlyList<KpiDefinition> Kpis);

/// <summary>The cadence API: scorecard versions, weekly records (read, PDF, diff, revise, send), field notes, action items.</summary>
public static class CadenceApi
{
    public static void MapCadenceApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/sync").WithTags("Cadence");
        g.MapGet("/", Weeks).WithName("ListSyncRecords").WithSummary("Every written weekly record, newest first.").RequireAuthorization(Permissions.Read);
        g.MapGet("/{week}", Show).WithName("GetSyncRecord").WithSummary("A week's record (latest revision, or the live view of a week not yet written).")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/{week}/pdf", Pdf).WithName("GetSyncRecordPdf").WithSummary("The week's record as a PDF.").RequireAuthorization(Permissions.Read);
        g.MapGet("/diff/{from}/{to}", Diff).WithName("DiffSyncRecords").WithSummary("What changed between two weeks' records.").RequireAuthorization(Permissions.Read);
        g.MapPost("/{week}/revisions", Revise).WithName("ReviseSyncRecord").WithSummary("A correction: a new revision with a reason.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPut("/{week}", Refuse).WithName("EditSyncRecord").WithSummary("Always refused: records are never edited.").RequireAuthorization(Permissions.WriteSetup);
        g.MapPost("/{week}/send", Send).WithName("SendSyncRecord").WithSummary("Queues the week's record to every team's list again.")
            .RequireAuthorization(Permissions.WriteSetup);

        var n = api.MapGroup("/notes").WithTags("Cadence");
        n.MapGet("/", Notes).WithName("ListFieldNotes").WithSummary("Field notes, newest first; q searches the text, from/to are days in the company time zone.").RequireAuthorization(Permissions.Read);
        n.MapPost("/", AddNote).WithName("AddFieldNote").WithSummary("Adds a field note.").RequireAuthorization(Permissions.WriteLeads);

        var a = api.MapGroup("/actions").WithTags("Cadence");
        a.MapGet("/", Actions).WithName("ListActionItems").WithSummary("Action items; status=Open for the open ones.").RequireAuthorization(Permissions.Read);
        a.MapPost("/", AddAction).WithName("AddActionItem").WithSummary("Raises an action item in a sync week.").RequireAuthorization(Permissions.WriteLeads);
        a.MapPatch("/{id:int}", UpdateAction).WithName("UpdateActionItem").WithSummary("Changes an item's status, owner or due date.")
            .RequireAuthorization(Permissions.WriteLeads);

        var k = api.MapGroup("/kpis").WithTags("Cadence");
        k.MapGet("/", Kpis).WithName("ListScorecards").WithSummary("Every scorecard version, newest first.").RequireAuthorization(Permissions.Read);
        k.MapPost("/", DraftKpis).WithName("DraftScorecard").WithSummary("A new draft of the KPI set.").RequireAuthorization(Permissions.WriteSetup);
        k.MapPost("/{number:int}/approve", ApproveKpis).WithName("ApproveScorecard")
            .WithSummary("One side's approval; active once marketing and sales approved.").RequireAuthorization(Permissions.WriteSetup);
    }

    private static async Task<Ok<List<SyncWeekDto>>> Weeks(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.SyncRecords.AsNoTracking().OrderByDescending(r => r.Week).ThenByDescending(r => r.Revision)
            .Select(r => new SyncWeekDto(r.Week, r.Revision, r.Sha256, r.Reason, r.CreatedAt)).ToListAsync(ct)));

    /// <summary>The week's latest record (or <paramref name="revision"/>); for a week not yet written, its document built from the
    /// data now, or the one <paramref name="live"/> keeps for the page (decision 0101).</summary>
    public static async Task<(SyncRecordDto? Dto, string? Error)> LoadAsync(TandemDb db, SyncRecords records, string week, int? revision, CancellationToken ct,
        LiveSync? live = null)
    {
        if (IsoWeek.Parse(week, DateOnly.FromDateTime(db.UtcNow)) is not { } w) return (null, $"\"{week}\" is not an ISO week such as 2026-W48.");
        var revisions = await db.SyncRecords.AsNoTracking().Where(r => r.Week == w.Key).OrderBy(r => r.Revision)
            .Select(r => new SyncWeekDto(r.Week, r.Revision, r.Sha256, r.Reason, r.CreatedAt)).ToListAsync(ct);
        var row = await db.SyncRecords.AsNoTracking().Where(r => r.Week == w.Key && (revision == null || r.Revision == revision))
            .OrderByDescending(r => r.Revision).FirstOrDefaultAsync(ct);
        if (row is null && revision is not null) return (null, $"{w.Key} has no revision {revision}.");
        var emails = await db.EmailOutbox.AsNoTracking().Where(e => e.Ref == SyncEmail.Ref(w.Key)).OrderBy(e => e.Id)
            .Select(e => new EmailStatusDto(e.To, e.Status.ToString(), e.Attempts, e.SentAt, e.NextAttemptAt, e.LastError)).ToListAsync(ct);
        var (doc, asOf) = row is not null ? (SyncBuilder.Parse(row.Document), (DateTime?)null)
            : live is not null ? await live.GetAsync(db, w, ct)
            : (await records.BuildAsync(db, w, ct), records.FactsAsOf);
        return (new SyncRecordDto(w.Key, row is not null, row?.Revision, row?.Sha256, row?.Reason, revisions, emails, doc, asOf), null);
    }

    private static async Task<Results<Ok<SyncRecordDto>, ValidationProblem, ProblemHttpResult>> Show(TandemDb db, SyncRecords records, string week,
        int? revision, CancellationToken ct)
    {
        var (dto, error) = await LoadAsync(db, records, week, revision, ct);
        return dto is null ? error!.Contains("revision") ? Problems.NotFound("Revision", revision!) : Errors.Single("week", error) : TypedResults.Ok(dto);
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> Pdf(TandemDb db, SyncRecords records, string week, int? revision, CancellationToken ct)
    {
        var (dto, error) = await LoadAsync(db, records, week, revision, ct);
        if (dto is null) return Errors.Single("week", error!);
        return TypedResults.File(SyncPdf.Render(dto.Document, dto.Sha256 ?? "not written yet"), "application/pdf", $"tandem-sync-{dto.Week}.pdf");
    }

    private static async Task<Results<Ok<IReadOnlyList<DiffLine>>, ValidationProblem>> Diff(TandemDb db, SyncRecords records, string from, string to, CancellationToken ct)
    {
        var (a, ea) = await LoadAsync(db, records, from, null, ct);
        var (b, eb) = await LoadAsync(db, records, to, null, ct);
        if (a is null || b is null) return new Errors().Add(a is null ? "from" : "to", (ea ?? eb)!).ToProblem();
        return TypedResults.Ok(SyncDiff.Of(a.Document, b.Document));
    }

    private static async Task<Results<Created<SyncWeekDto>, ValidationProblem>> Revise(TandemDb db, SyncRecords records, string week, ReviseInput input, CancellationToken ct)
    {
        var e = new Errors();
        var w = IsoWeek.Parse(week, DateOnly.FromDateTime(db.UtcNow));
        if (w is null) e.Add("week", $"\"{week}\" is not an ISO week such as 2026-W48.");
        if (string.IsNullOrWhiteSpace(input.Reason)) e.Add("reason", "A correction needs a reason: it is kept with the revision.");
        else if (input.Reason.Length > 1000) e.Add("reason", "A reason holds at most 1000 characters.");
        if (e.Any) return e.ToProblem();
        var row = await records.ReviseAsync(db, w!.Value, input.Reason!.Trim(), ct);
        return TypedResults.Created($"/api/sync/{row.Week}?revision={row.Revision}", new SyncWeekDto(row.Week, row.Revision, row.Sha256, row.Reason, row.CreatedAt));
    }

    private static ProblemHttpResult Refuse(string week) => TypedResults.Problem(title: "Records are never edited", statusCode: 409,
        detail: $"The record of {week} cannot be changed. To correct it, POST /api/sync/{week}/revisions with a reason: a new revision is written and the original kept.");

    private static async Task<Results<Ok<int>, ValidationProblem, ProblemHttpResult>> Send(TandemDb db, SyncRecords records, EmailOutbox outbox, string week, CancellationToken ct)
    {
        if (IsoWeek.Parse(week, DateOnly.FromDateTime(db.UtcNow)) is not { } w) return Errors.Single("week", $"\"{week}\" is not an ISO week such as 2026-W48.");
        var row = await SyncRecords.LatestAsync(db, w.Key, ct);
        if (row is null) return Problems.Conflict($"{w.Key} has no record yet; it is written once the week is over.");
        var rows = await SyncEmail.QueueAsync(db, row, SyncBuilder.Parse(row.Document), records.Options, ct);
        await db.SaveChangesAsync(ct);
        foreach (var e in rows) await outbox.SendAsync(e.Id, ct);
        return TypedResults.Ok(rows.Count);
    }

    private static async Task<Results<Ok<List<FieldNote>>, ValidationProblem>> Notes(TandemDb db, SyncRecords records, string? q, NoteKind? kind,
        int? personId, int? opportunityId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var filter = new NoteFilter(q, kind, from, to, personId, opportunityId);
        if (NoteSearch.Problem(filter) is { } problem) return Errors.Single("to", problem);
        return TypedResults.Ok(await NoteSearch.Apply(db.FieldNotes.AsNoTracking(), filter, records.Zone).Take(NoteSearch.Limit).ToListAsync(ct));
    }

    private static async Task<Results<Created<FieldNote>, ValidationProblem>> AddNote(TandemDb db, NoteInput input, ClaimsPrincipal user, CancellationToken ct)
    {
        var (note, errors) = await CadenceWrites.AddNoteAsync(db, input, user.UserId(), user.Identity?.Name ?? db.Actor, ct);
        return note is null ? errors.ToProblem() : TypedResults.Created($"/api/notes/{note.Id}", note);
    }

    private static async Task<Ok<List<ActionItem>>> Actions(TandemDb db, ActionStatus? status, CancellationToken ct) =>
        TypedResults.Ok(await db.ActionItems.AsNoTracking().Where(a => status == null || a.Status == status).OrderBy(a => a.Id).ToListAsync(ct));

    private static async Task<Results<Created<ActionItem>, ValidationProblem>> AddAction(TandemDb db, SyncRecords records, ActionInput input, CancellationToken ct)
    {
        var (item, errors) = await CadenceWrites.AddActionAsync(db, input, records.ThisWeek(db), ct);
        return item is null ? errors.ToProblem() : TypedResults.Created($"/api/actions/{item.Id}", item);
    }

    private static async Task<Results<Ok<ActionItem>, ValidationProblem, ProblemHttpResult>> UpdateAction(TandemDb db, int id, ActionUpdate input, CancellationToken ct)
    {
        if (input.Version is null) return Errors.Single("version", "'version' is required: send the version you read.");
        var item = await db.ActionItems.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (item is null) return Problems.NotFound("Action item", id);
        if (item.Version != input.Version) return Problems.StaleVersion("Action item", input.Version.Value);
        if (input.OwnerId is { } o && !await db.Users.AnyAsync(u => u.Id == o && u.IsActive, ct)) return Errors.Single("ownerId", $"User {o} does not exist or is inactive.");
        if (input.Status is { } s && s != item.Status)
        {
            item.Status = s;
            item.DoneAt = s == ActionStatus.Open ? null : db.UtcNow;
        }
        if (input.OwnerId is not null) item.OwnerId = input.OwnerId;
        if (input.DueOn is not null) { item.DueOn = input.DueOn; item.RemindedAt = null; }
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion("Action item", input.Version.Value);
        return TypedResults.Ok(item);
    }

    private static async Task<Ok<List<ScorecardDto>>> Kpis(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Scorecards.AsNoTracking().OrderByDescending(s => s.Number).ToListAsync(ct))
            .Select(s => new ScorecardDto(s.Number, s.Status.ToString(), s.ContentHash, s.Note, s.CreatedAt, Scorecards.Parse(s.Content))).ToList());

    private static async Task<Results<Created<ScorecardDto>, ValidationProblem>> DraftKpis(TandemDb db, InsightStore store, KpiDraftInput input,
        CancellationToken ct)
    {
        var e = new Errors();
        if (input.Kpis is not { Count: > 0 } kpis) return Errors.Single("kpis", "A scorecard needs at least one KPI.");
        for (var i = 0; i < kpis.Count; i++)
        {
            var problems = KpiGrade.Problems(kpis[i]).ToList();
            foreach (var (field, message) in problems) e.Add($"kpis[{i}].{field}", message);
            // Which columns a report answers depends on its options, so the metric is checked by running it.
            if (problems.Count == 0 && kpis[i].Report is not null
                && await KpiReports.ColumnProblemAsync(kpis[i], await store.GetAsync(db, ct), db, ct) is { } bad)
                e.Add($"kpis[{i}].{bad.Field}", bad.Message);
        }
        foreach (var dup in kpis.GroupBy(k => k.Key).Where(g => g.Count() > 1)) e.Add("kpis", $"The key \"{dup.Key}\" is used twice.");
        if (e.Any) return e.ToProblem();
        var s = await Scorecards.DraftAsync(db, kpis, input.Note, ct);
        return TypedResults.Created($"/api/kpis/{s.Number}", new ScorecardDto(s.Number, s.Status.ToString(), s.ContentHash, s.Note, s.CreatedAt, kpis));
    }

    private static async Task<Results<Ok<ScorecardDto>, ValidationProblem, ProblemHttpResult>> ApproveKpis(TandemDb db, int number, KpiApproveInput input,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var s = await db.Scorecards.FirstOrDefaultAsync(x => x.Number == number, ct);
        if (s is null) return Problems.NotFound("Scorecard", number);
        if (await Scorecards.ApproveAsync(db, s, input.ContentHash, user.UserId(), user.Role(), ct) is { } refused)
            return refused.Status == 400 ? Errors.Single("contentHash", refused.Message)
                : TypedResults.Problem(title: refused.Status == 403 ? "Not allowed" : "Conflict", detail: refused.Message, statusCode: refused.Status);
        return TypedResults.Ok(new ScorecardDto(s.Number, s.Status.ToString(), s.ContentHash, s.Note, s.CreatedAt, Scorecards.Parse(s.Content)));
    }
}
