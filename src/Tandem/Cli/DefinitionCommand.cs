using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Cli;

/// <summary>`tandem definition show|draft|diff|whatif|approve`: the unified lead definition from the command line.</summary>
public static class DefinitionCommand
{
    private static readonly JsonSerializerOptions Json = new(DefinitionContent.Json) { WriteIndented = true };

    public static Command Create()
    {
        var cmd = new Command("definition", "The unified lead definition: show versions, draft a change, diff, what-if and approve.");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Draft());
        cmd.Subcommands.Add(Diff());
        cmd.Subcommands.Add(WhatIf());
        cmd.Subcommands.Add(Approve());
        return cmd;
    }

    private static Command Show()
    {
        var number = new Argument<int?>("version") { Description = "Version number (default: the active one).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the content as JSON (the format `draft --file` reads)." };
        var cmd = new Command("show", "Print a version in plain language with its rules, hash and reviews.") { number, json };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var n = r.GetValue(number);
            var d = n is { } v ? await Definitions.FindAsync(db, v, ct) : await db.LeadDefinitions.FirstOrDefaultAsync(x => x.Status == DefinitionStatus.Active, ct);
            if (d is null) return Fail(n is null ? "No version is active yet. Start one with `tandem definition draft`." : $"Version {n} does not exist.");
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(d.Parsed(), Json));
                return 0;
            }
            var dto = await DefinitionsApi.DtoAsync(db, d, ct);
            AnsiConsole.MarkupLine($"[bold]v{d.Number}[/] {d.Status.ToString().ToLowerInvariant()}  hash [blue]{d.ContentHash}[/]");
            AnsiConsole.WriteLine(dto.Summary);
            var t = new Table().AddColumn("Section").AddColumn("Rule");
            foreach (var (section, text) in DefinitionDiff.Lines(dto.Content)) t.AddRow(section, Markup.Escape(text));
            AnsiConsole.Write(t);
            AnsiConsole.MarkupLine($"Marketing approved: {(dto.MarketingApproved ? "yes" : "no")}, sales approved: {(dto.SalesApproved ? "yes" : "no")}");
            foreach (var rv in dto.Reviews)
                AnsiConsole.MarkupLine(Markup.Escape($"  {rv.At:yyyy-MM-dd HH:mm} {rv.UserName} ({rv.Side}) {rv.Decision}{(rv.Current ? "" : " (older content)")}: {rv.Comment}"));
            return 0;
        });
        return cmd;
    }

    private static Command Draft()
    {
        var from = new Option<int?>("--from") { Description = "Copy this version (default: the active one)." };
        var file = new Option<FileInfo?>("--file") { Description = "JSON content (as printed by `show --json`)." };
        var note = new Option<string?>("--note") { Description = "What the draft changes, in words." };
        var cmd = new Command("draft", "Create a draft from a file or a copy of a version.") { from, file, note };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var basedOn = r.GetValue(from) is { } n ? await Definitions.FindAsync(db, n, ct)
                : await db.LeadDefinitions.FirstOrDefaultAsync(x => x.Status == DefinitionStatus.Active, ct);
            if (r.GetValue(from) is { } missing && basedOn is null) return Fail($"Version {missing} does not exist.");
            DefinitionContent? content;
            if (r.GetValue(file) is { } f)
            {
                try { content = DefinitionContent.FromJson(await File.ReadAllTextAsync(f.FullName, ct)); }
                catch (JsonException e) { return Fail($"{f.Name}: {e.Message}"); }
            }
            else content = basedOn?.Parsed() ?? StarterDefinition.Content;
            var errors = DefinitionValidation.Validate(content);
            if (errors.Any)
            {
                foreach (var (field, messages) in errors.ToDictionary()) AnsiConsole.MarkupLine($"[red]{Markup.Escape(field)}[/]: {Markup.Escape(string.Join(" ", messages))}");
                return 1;
            }
            var d = await Definitions.CreateDraftAsync(db, content!, r.GetValue(note), basedOn, ct);
            AnsiConsole.MarkupLine($"Draft [bold]v{d.Number}[/] created, hash [blue]{d.ContentHash}[/].");
            return 0;
        });
        return cmd;
    }

    private static Command Diff()
    {
        var a = new Argument<int>("from");
        var b = new Argument<int>("to");
        var cmd = new Command("diff", "What changes from one version to another.") { a, b };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var x = await Definitions.FindAsync(db, r.GetValue(a), ct);
            var y = await Definitions.FindAsync(db, r.GetValue(b), ct);
            if (x is null || y is null) return Fail($"Version {(x is null ? r.GetValue(a) : r.GetValue(b))} does not exist.");
            var lines = DefinitionDiff.Compare(x.Parsed(), y.Parsed());
            if (lines.Count == 0) AnsiConsole.WriteLine("No differences.");
            foreach (var l in lines) AnsiConsole.MarkupLine($"{(l.Change == "added" ? "[green]+" : "[red]-")} {Markup.Escape(l.Section)}: {Markup.Escape(l.Text)}[/]");
            return 0;
        });
        return cmd;
    }

    private static Command WhatIf()
    {
        var number = new Argument<int>("version");
        var months = new Option<int>("--months") { Description = "How far back to replay.", DefaultValueFactory = _ => WhatIfService.DefaultMonths };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var cmd = new Command("whatif", "Replay history under a version and the active one: MQLs per week, overlap and real outcomes.") { number, months, json };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            if (r.GetValue(months) is < 1 or > 60) return Fail("--months must be between 1 and 60.");
            var service = new WhatIfService();
            WhatIfResult? result = null;
            await AnsiConsole.Status().StartAsync("Loading history and replaying…", async _ => result = await service.RunAsync(db, r.GetValue(number), r.GetValue(months), ct));
            if (result is null) return Fail($"Version {r.GetValue(number)} does not exist, or no version is active to compare with.");
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, Json));
            else WhatIfPrint.Print(result);
            return 0;
        });
        return cmd;
    }

    private static Command Approve()
    {
        var number = new Argument<int>("version");
        var user = new Option<string>("--as") { Description = "Email of the reviewer (a marketing user or a sales manager).", Required = true };
        var hash = new Option<string>("--hash") { Description = "The content hash you reviewed (from `show`).", Required = true };
        var reject = new Option<bool>("--reject") { Description = "Reject instead of approve." };
        var comment = new Option<string?>("--comment");
        var cmd = new Command("approve", "Approve (or reject) a draft as a user; both sides approving activates it.") { number, user, hash, reject, comment };
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var d = await Definitions.FindAsync(db, r.GetValue(number), ct);
            if (d is null) return Fail($"Version {r.GetValue(number)} does not exist.");
            var email = r.GetValue(user)!.Trim().ToLowerInvariant();
            var u = await db.Users.FirstOrDefaultAsync(x => x.Email == email, ct);
            if (u is null) return Fail($"No user has the email {email}.");
            var decision = r.GetValue(reject) ? ReviewDecision.Reject : ReviewDecision.Approve;
            var reviews = await db.DefinitionReviews.AsNoTracking().Where(x => x.DefinitionId == d.Id).ToListAsync(ct);
            if (Approvals.Check(d, r.GetValue(hash), u.Id, u.Role, decision, reviews) is { } refusal) return Fail(refusal.Message);
            db.Actor = $"user:{u.Id}";
            bool activated;
            try { activated = await Definitions.ReviewAsync(db, d, u.Id, u.Role, decision, r.GetValue(comment), ct); }
            catch (ReviewRaceException e) { return Fail(e.Message); }
            AnsiConsole.MarkupLine(activated ? $"v{d.Number} is now [green]active[/]." : $"{decision} recorded for v{d.Number}.");
            return 0;
        });
        return cmd;
    }

    private static int Fail(string message)
    {
        AnsiConsole.MarkupLine($"[red]{Markup.Escape(message)}[/]");
        return 1;
    }
}
