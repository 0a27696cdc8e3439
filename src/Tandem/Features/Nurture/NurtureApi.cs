using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.People;

namespace Tandem.Features.Nurture;

public sealed record TrackInput(string? Name, TrackStatus? Status, TrackContent? Content, int? Version = null);
public sealed record TrackSummaryDto(int Id, string Name, TrackStatus Status, int Steps, int Enrolled, int Active, int Version);
public sealed record TrackDto(int Id, string Name, TrackStatus Status, TrackContent Content, int Version, DateTime CreatedAt, DateTime UpdatedAt);
public sealed record PreviewInput(string? Step, string? Variant, int? PersonId);
public sealed record PreviewDto(string Person, string? To, string Subject, string Html, string Text, IReadOnlyList<string> Links, string? NotMailable);
public sealed record RecordDto(int PersonId, string Name, string? Email, LifecycleStage Stage);
public sealed record SuppressionInput(string? Email, SuppressionReason? Reason, string? Note);
public sealed record SuppressionDto(string Email, SuppressionReason Reason, int? PersonId, DateTime At, string? Note);
public sealed record ConsentInput(ConsentState? State, string? Source);
public sealed record BounceInput(string? Email, string? Kind, string? Detail);

/// <summary>/api/nurture: tracks, previews, results with their records, the suppression list, consent and reported bounces (docs/guide/nurture.md).</summary>
public static class NurtureApi
{
    public static RouteGroupBuilder MapNurtureApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/nurture").WithTags("Nurture");
        g.MapGet("/tracks", ListAsync).WithName("ListNurtureTracks").WithSummary("Every nurture track with its enrolment counts.").RequireAuthorization(Permissions.Read);
        g.MapGet("/tracks/{id:int}", GetAsync).WithName("GetNurtureTrack").WithSummary("One track: who enters, its steps and variants.").RequireAuthorization(Permissions.Read);
        g.MapPost("/tracks", CreateAsync).WithName("CreateNurtureTrack")
            .WithSummary("Create a track. Templates are checked: an unknown personalization field is a 400 naming it, and nothing is saved.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPut("/tracks/{id:int}", UpdateAsync).WithName("UpdateNurtureTrack").WithSummary("Change a track (send the version you read; 409 when stale).")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapPost("/tracks/{id:int}/preview", PreviewAsync).WithName("PreviewNurtureMessage")
            .WithSummary("A message step as one person would get it: subject, HTML and plain text, with their values filled in and escaped.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/tracks/{id:int}/results", ResultsAsync).WithName("GetNurtureResults")
            .WithSummary("Per step and variant: assigned, sent, delivered, opened (unreliable), clicked, replied, unsubscribed, bounced, requalified, and the test's verdict.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/tracks/{id:int}/results/records", RecordsAsync).WithName("GetNurtureResultRecords")
            .WithSummary("The people behind one number of the results (step, variant, measure).").RequireAuthorization(Permissions.Read);
        g.MapGet("/suppressions", SuppressionsAsync).WithName("ListSuppressions").WithSummary("Addresses no track mails.").RequireAuthorization(Permissions.Read);
        g.MapPost("/suppressions", SuppressAsync).WithName("AddSuppression").WithSummary("Put an address on the suppression list.").RequireAuthorization(Permissions.WriteSetup);
        g.MapPut("/consent/{personId:int}", ConsentAsync).WithName("SetEmailConsent").WithSummary("A person's consent to marketing email (Granted or Withdrawn).")
            .RequireAuthorization(Permissions.WriteLeads);
        g.MapPost("/bounces", BounceAsync).WithName("ReportBounce")
            .WithSummary("A hard bounce or complaint reported by the mail system: the address is suppressed and its enrolments end.").RequireAuthorization(Permissions.Ingest);
        return api;
    }

    private static async Task<Ok<List<TrackSummaryDto>>> ListAsync(TandemDb db, CancellationToken ct)
    {
        var tracks = await db.NurtureTracks.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        var counts = await db.NurtureEnrolments.AsNoTracking().GroupBy(e => e.TrackId)
            .Select(g => new { g.Key, All = g.Count(), Active = g.Count(e => e.Status == EnrolmentStatus.Active) }).ToDictionaryAsync(x => x.Key, ct);
        return TypedResults.Ok(tracks.Select(t => new TrackSummaryDto(t.Id, t.Name, t.Status, TrackContent.Parse(t.Content).Steps.Length,
            counts.GetValueOrDefault(t.Id)?.All ?? 0, counts.GetValueOrDefault(t.Id)?.Active ?? 0, t.Version)).ToList());
    }

    private static async Task<Results<Ok<TrackDto>, ProblemHttpResult>> GetAsync(TandemDb db, int id, CancellationToken ct) =>
        await db.NurtureTracks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is { } t ? TypedResults.Ok(Dto(t)) : Problems.NotFound("Track", id);

    private static TrackDto Dto(NurtureTrack t) => new(t.Id, t.Name, t.Status, TrackContent.Parse(t.Content), t.Version, t.CreatedAt, t.UpdatedAt);

    /// <summary>The problems of <paramref name="input"/>, and its content with the enrolment channels as the taxonomy's keys.</summary>
    private static async Task<(Errors, TrackInput)> ValidateAsync(TandemDb db, TrackInput input, CancellationToken ct)
    {
        var errors = new Errors().Required("name", input.Name);
        if (input.Name is { Length: > 200 }) errors.Add("name", "'name' is at most 200 characters.");
        if (input.Content is null) errors.Add("content", "'content' is required: the enrolment rule and the steps.");
        else
        {
            input.Content.Validate(errors);
            if (input.Content.NamesChannels())
                input = input with { Content = input.Content.WithKnownChannels(await Channels.ChannelSet.LoadAsync(db, ct), errors, i => $"content.enrol.channels[{i}]") };
        }
        return (errors, input);
    }

    private static async Task<Results<Created<TrackDto>, ValidationProblem>> CreateAsync(TandemDb db, TrackInput input, CancellationToken ct)
    {
        (var errors, input) = await ValidateAsync(db, input, ct);
        if (!errors.Any && await db.NurtureTracks.AnyAsync(t => t.Name == input.Name!.Trim(), ct)) errors.Add("name", $"A track named '{input.Name!.Trim()}' exists.");
        if (errors.Any) return errors.ToProblem();
        var t = new NurtureTrack { Name = input.Name!.Trim(), Status = input.Status ?? TrackStatus.Draft, Content = input.Content!.ToJson(), CreatedAt = db.UtcNow };
        db.NurtureTracks.Add(t);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/nurture/tracks/{t.Id}", Dto(t));
    }

    private static async Task<Results<Ok<TrackDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(TandemDb db, int id, TrackInput input, CancellationToken ct)
    {
        var t = await db.NurtureTracks.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return Problems.NotFound("Track", id);
        (var errors, input) = await ValidateAsync(db, input, ct);
        if (input.Version is null) errors.Add("version", "'version' is required: send the version you read.");
        if (!errors.Any && await db.NurtureTracks.AnyAsync(x => x.Id != id && x.Name == input.Name!.Trim(), ct)) errors.Add("name", $"A track named '{input.Name!.Trim()}' exists.");
        if (errors.Any) return errors.ToProblem();
        if (input.Version != t.Version) return Problems.StaleVersion($"Track '{t.Name}'", input.Version!.Value);
        (t.Name, t.Status, t.Content) = (input.Name!.Trim(), input.Status ?? t.Status, input.Content!.ToJson());
        db.Entry(t).Property(x => x.Version).OriginalValue = input.Version.Value;
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"Track '{t.Name}'", input.Version.Value);
        return TypedResults.Ok(Dto(t));
    }

    private static async Task<Results<Ok<PreviewDto>, ValidationProblem, ProblemHttpResult>> PreviewAsync(TandemDb db, NurtureKeys keys, NurtureOptions options,
        int id, PreviewInput input, CancellationToken ct)
    {
        var t = await db.NurtureTracks.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return Problems.NotFound("Track", id);
        var preview = await Preview.RenderAsync(db, await keys.LinksAsync(db, ct), TrackContent.Parse(t.Content), input.Step, input.Variant, input.PersonId,
            options.RequireConsent, ct);
        return preview.Error is { } e ? Errors.Single(e.Field, e.Message) : TypedResults.Ok(preview.Dto!);
    }

    private static async Task<Results<Ok<TrackResults>, ProblemHttpResult>> ResultsAsync(TandemDb db, int id, CancellationToken ct) =>
        await NurtureResults.ForTrackAsync(db, id, ct) is { } r ? TypedResults.Ok(r) : Problems.NotFound("Track", id);

    private static async Task<Results<Ok<List<RecordDto>>, ValidationProblem>> RecordsAsync(TandemDb db, int id, string? step, string? variant, Measure? measure,
        CancellationToken ct)
    {
        var errors = new Errors().Required("step", step).Required("variant", variant);
        if (measure is null) errors.Add("measure", "'measure' is required: one of " + string.Join(", ", Enum.GetNames<Measure>()) + ".");
        if (errors.Any) return errors.ToProblem();
        var ids = await NurtureResults.RecordsAsync(db, id, step!, variant!, measure!.Value, ct);
        return TypedResults.Ok(await People(db, ids, ct));
    }

    public static async Task<List<RecordDto>> People(TandemDb db, List<int> ids, CancellationToken ct)
    {
        var list = new List<RecordDto>();
        foreach (var chunk in ids.Chunk(1000))
            list.AddRange((await db.People.AsNoTracking().Where(p => chunk.Contains(p.Id)).ToListAsync(ct))
                .Select(p => new RecordDto(p.Id, p.DisplayName, p.Email, p.Stage)));
        return [.. list.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)];
    }

    private static async Task<Ok<List<SuppressionDto>>> SuppressionsAsync(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.EmailSuppressions.AsNoTracking().OrderByDescending(s => s.At)
            .Select(s => new SuppressionDto(s.Email, s.Reason, s.PersonId, s.At, s.Note)).ToListAsync(ct));

    private static async Task<Results<Ok, ValidationProblem>> SuppressAsync(TandemDb db, SuppressionInput input, CancellationToken ct)
    {
        var errors = new Errors();
        if (!EmailAddress.IsValid(input.Email)) errors.Add("email", string.IsNullOrWhiteSpace(input.Email) ? "'email' is required." : $"'{input.Email}' is not a valid email address.");
        if (input.Note is { Length: > 500 }) errors.Add("note", "'note' is at most 500 characters.");
        if (errors.Any) return errors.ToProblem();
        await TransientRetry.InTransactionAsync(db, token => Suppressions.AddAsync(db, input.Email!, input.Reason ?? SuppressionReason.Manual, null, input.Note, token), ct);
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok, ValidationProblem, ProblemHttpResult>> ConsentAsync(TandemDb db, int personId, ConsentInput input, CancellationToken ct)
    {
        if (!await db.People.AnyAsync(p => p.Id == personId, ct)) return Problems.NotFound("Person", personId);
        if (input.State is null) return Errors.Single("state", "'state' is required: Granted, Withdrawn or Unknown.");
        var source = string.IsNullOrWhiteSpace(input.Source) ? "api" : input.Source.Trim();
        if (source.Length > 100) return Errors.Single("source", "'source' is at most 100 characters.");
        var row = await db.EmailConsents.FirstOrDefaultAsync(c => c.PersonId == personId, ct);
        if (row is null) db.EmailConsents.Add(row = new EmailConsent { PersonId = personId, Source = source });
        (row.State, row.Source, row.At) = (input.State.Value, source, db.UtcNow);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok, ValidationProblem>> BounceAsync(TandemDb db, BounceInput input, CancellationToken ct)
    {
        var errors = new Errors();
        if (!EmailAddress.IsValid(input.Email)) errors.Add("email", "'email' must be the address that bounced.");
        SuppressionReason? reason = input.Kind?.ToLowerInvariant() switch { "hard" => SuppressionReason.HardBounce, "complaint" => SuppressionReason.Complaint, _ => null };
        if (reason is null) errors.Add("kind", "'kind' is 'hard' (a permanent bounce) or 'complaint'. Soft bounces are retried by the sender and not reported here.");
        if (errors.Any) return errors.ToProblem();
        await TransientRetry.InTransactionAsync(db, token => Suppressions.AddAsync(db, input.Email!, reason!.Value, null, input.Detail, token), ct);
        return TypedResults.Ok();
    }
}
