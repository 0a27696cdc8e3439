using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Components.Import;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Import;

/// <summary>
/// The import page's forms (docs/guide/import.md, decision 0054): upload a CSV, then check it (a dry run) or import it
/// with the mapping chosen on the page, or download that mapping as a file. Plain posts, antiforgery-checked by
/// <see cref="CsrfGuard"/>; for whoever may send data in (Admin and Marketing).
/// </summary>
public static class ImportFormEndpoints
{
    public static WebApplication MapImportFormEndpoints(this WebApplication app)
    {
        var g = app.MapGroup("/import").ExcludeFromDescription().RequireAuthorization(Permissions.Ingest);
        g.MapPost("/upload", UploadAsync).DisableAntiforgery();
        // The review page is routed at /import/{id} too and Blazor pages accept POST; the lower order makes this one win.
        g.MapPost("/{id:guid}", StepAsync).DisableAntiforgery().Add(b => ((RouteEndpointBuilder)b).Order = -1);
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, TandemDb db, CancellationToken ct)
    {
        if (http.Request.ContentLength > ImportUpload.MaxBytes + 64 * 1024) return Back(TooBig);
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { Length: > 0 } file) return Back("Choose a CSV file to upload.");
        if (file.Length > ImportUpload.MaxBytes) return Back(TooBig);
        if (!Enum.TryParse<ImportEntity>(form["entity"], ignoreCase: true, out var entity) || !Enum.IsDefined(entity)) return Back("Choose what the file holds.");
        var preset = NullIfEmpty(form["preset"]);
        if (preset is not null && !ImportPresets.Names.Contains(preset)) return Back($"There is no preset '{preset}'.");

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var upload = new ImportUpload { FileName = ImportDrafts.SafeName(file.FileName), Content = buffer.ToArray(), UploadedByUserId = http.User.UserId(), UploadedAt = db.UtcNow };
        db.ImportUploads.Add(upload);
        // Uploads left half-way are not kept: anything older than a day goes when the next one arrives.
        var dayAgo = db.UtcNow.AddDays(-1);
        await db.ImportUploads.Where(u => u.UploadedAt < dayAgo).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return Results.LocalRedirect($"/import/{upload.Id}?entity={entity.ToString().ToLowerInvariant()}" + (preset is null ? "" : $"&preset={Uri.EscapeDataString(preset)}"));
    }

    private static async Task<IResult> StepAsync(Guid id, HttpContext http, TandemDb db, Data.CompanyOptions company, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var upload = await db.ImportUploads.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (upload is null) return Back("That upload is gone (imported, or older than a day). Upload the file again.");
        if (!Enum.TryParse<ImportEntity>(form["entity"], ignoreCase: true, out var entity) || !Enum.IsDefined(entity)) return Back("Choose what the file holds.");
        var preset = NullIfEmpty(form["preset"]) is { } p && ImportPresets.Names.Contains(p) ? p : null;
        var draft = await ImportDrafts.ReadAsync(upload, entity, preset, [.. form["target"].Select(t => t ?? ImportMap.Ignore)]);

        var action = form["action"].ToString();
        if (action == "download")
            return Results.File(System.Text.Encoding.UTF8.GetBytes(ImportDrafts.MappingFile(draft)), "application/json",
                Path.GetFileNameWithoutExtension(upload.FileName) + ".mapping.json");

        db.Actor = http.User.Actor();
        var result = await ImportDrafts.RunAsync(db, upload, draft, dryRun: action != "import", company.Code, ct);
        if (result.Committed && !result.DryRun)
        {
            db.ChangeTracker.Clear();
            await db.ImportUploads.Where(u => u.Id == id).ExecuteDeleteAsync(ct);
        }
        return new RazorComponentResult<ImportReviewDocument>(new { Draft = draft, Result = result });
    }

    private const string TooBig = "The file is larger than 25 MB. Import big files with the command line: tandem import ENTITY FILE.";

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static IResult Back(string error) => Results.LocalRedirect("/import?error=" + Uri.EscapeDataString(error));
}
