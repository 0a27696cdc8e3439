using System.CommandLine;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Cli;

/// <summary>`tandem import ENTITY FILE`: loads a CSV export. Exit code 0 when the rows were written (or a dry run found no error), else 1.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var entity = new Argument<ImportEntity>("entity") { Description = "What the file holds: people, accounts, opportunities, touches, campaigns or users." };
        var file = new Argument<FileInfo>("file") { Description = "The CSV file." };
        var map = new Option<FileInfo?>("--map") { Description = "Mapping JSON (docs/guide/import.md); without it, headers that spell a field name map to it." };
        var preset = new Option<string?>("--preset")
        {
            Description = "Start from the mapping for a product's export: " + string.Join(", ", ImportPresets.Names) + ". With --map too, the file's entries win.",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every row and write nothing." };
        var skip = new Option<bool>("--skip-invalid") { Description = "Import the valid rows and report the invalid ones (default: one bad row imports nothing)." };
        var noRouting = new Option<bool>("--no-routing")
            { Description = "Loading history: people who reach MQL in this file are not handed to sales (no handoff, no SLA clock)." };
        var cmd = new Command("import", "Import a CSV export.") { entity, file, map, preset, dryRun, skip, noRouting };
        cmd.SetAction(async (r, ct) =>
        {
            ImportMap mapping;
            try { mapping = ImportPresets.Compose(r.GetValue(preset), r.GetValue(map)?.FullName); }
            catch (ImportMapException e) { Console.Error.WriteLine(e.Message); return 1; }
            var company = CompanyOptions.ReadSettings();
            if (company.Problem() is { } bad) { Console.Error.WriteLine(bad); return 1; }
            var storage = CliApp.StorageOf(r);
            await using var db = storage.Open();
            await Storage.MigrateAsync(db, ct);
            var req = new ImportRequest(r.GetValue(entity), r.GetValue(file)!.FullName, mapping, r.GetValue(dryRun), r.GetValue(skip), Route: !r.GetValue(noRouting), Currency: company.Code);
            var result = await RunAsync(db, req, ct);
            Report(result, storage);
            return result.Committed || (req.DryRun && !result.HasErrors) ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>A progress bar on a terminal; plain output when redirected (CI logs, pipes).</summary>
    private static async Task<ImportResult> RunAsync(TandemDb db, ImportRequest req, CancellationToken ct)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected) return await Importer.RunAsync(db, req, null, ct);
        ImportResult? result = null;
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async p =>
        {
            var task = p.AddTask($"Importing {Path.GetFileName(req.FilePath)}", maxValue: 1);
            result = await Importer.RunAsync(db, req, f => task.Value = f, ct);
            task.Value = 1;
        });
        return result!;
    }

    private static void Report(ImportResult r, Storage storage)
    {
        foreach (var w in r.Warnings) Console.Error.WriteLine($"{w} (warning)");
        foreach (var e in r.Errors) Console.Error.WriteLine(e);
        if (r.ErrorCount > r.Errors.Count) Console.Error.WriteLine($"… and {r.ErrorCount - r.Errors.Count} more errors.");
        // Counts are of records: several rows may update one record (a manager named on many rows).
        var counts = $"{r.Rows} rows, {r.InvalidRows} invalid; records: {r.Created} created, {r.Updated} updated, {r.Unchanged} unchanged";
        if (r.Partial)
            Console.WriteLine($"{r.File}: stopped after writing the first {r.Written} rows, because a row the check had accepted was refused " +
                "(a concurrent change). Fix it and run the import again: rows already written are matched, not duplicated.");
        else if (r.Fatal) Console.WriteLine($"{r.File}: nothing imported.");
        else if (r.DryRun) Console.WriteLine($"Dry run of {r.File}, nothing written. {counts}.");
        else if (r.Committed) Console.WriteLine($"Imported {r.File} into {storage.Describe()}. {counts}.");
        else Console.WriteLine($"{r.File}: nothing imported because {r.InvalidRows} rows are invalid (use --skip-invalid to import the valid ones). {counts}.");
    }
}
