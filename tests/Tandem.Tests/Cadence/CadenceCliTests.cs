using Microsoft.Data.Sqlite;
using Tandem.Cli;
using Tandem.Features.Cadence;

namespace Tandem.Tests.Cadence;

/// <summary>`tandem kpi`, `tandem sync` and `tandem notes` as an operator types them, on a real migrated database.</summary>
public class CadenceCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_verbs_list_the_scorecard_show_and_diff_records_add_and_search_notes_and_name_what_is_wrong()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        string[] at = ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Storage.ConnectionString).DataSource)!];
        Assert.Equal(0, await CliApp.RunAsync(["migrate", .. at]));
        await using (var ctx = db.Open())
        {
            ctx.People.Add(new Features.People.Person { Email = "ann@acme.test", FirstName = "Ann", LastName = "Lee", CreatedAt = ctx.UtcNow, StageChangedAt = ctx.UtcNow });
            ctx.FieldNotes.Add(new FieldNote { Kind = NoteKind.Objection, Text = "Too expensive for a team of five", AuthorName = "Dana", At = ctx.UtcNow, CreatedAt = ctx.UtcNow });
            await ctx.SaveChangesAsync(Ct);
        }
        var output = new StringWriter();
        var errors = new StringWriter();
        var (before, beforeError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(errors);
        // Spectre's console keeps the writer it found when first used, which an earlier CLI test in this process may have set up.
        var ansi = Spectre.Console.AnsiConsole.Console;
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output), Ansi = Spectre.Console.AnsiSupport.No, ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
        });
        string Take(StringWriter w) { var s = w.ToString(); w.GetStringBuilder().Clear(); return s; }
        try
        {
            Assert.Equal(0, await CliApp.RunAsync(["kpi", "list", .. at]));
            var kpis = Take(output);
            Assert.Contains("No scorecard was ever approved", kpis);
            Assert.Contains("mqls", kpis);
            Assert.Contains("Win rate", kpis);

            Assert.Equal(0, await CliApp.RunAsync(["sync", "show", "--week", "2026-W10", .. at]));
            var shown = Take(output);
            Assert.Contains("Weekly sync 2026-W10 (", shown);
            Assert.Contains("live, not written yet", shown);
            Assert.Contains("SCORECARD", shown);
            Assert.Equal(0, await CliApp.RunAsync(["sync", "show", "--week", "2026-W10", "--json", .. at]));
            Assert.Contains("\"week\":\"2026-W10\"", Take(output));
            Assert.Equal(0, await CliApp.RunAsync(["sync", "diff", "2026-W09", "2026-W10", .. at]));
            Assert.Contains("2026-W09", Take(output));

            Assert.Equal(0, await CliApp.RunAsync(["notes", "add", "Can we import from HubSpot?", "--person", "ann@acme.test", "--author", "Riley", .. at]));
            Assert.Contains("added (Question heard)", Take(output));
            Assert.Equal(0, await CliApp.RunAsync(["notes", "list", "--search", "HUBSPOT", .. at]));
            var found = Take(output);
            Assert.Contains("Can we import from HubSpot?", found);
            Assert.Contains("Riley", found);
            Assert.DoesNotContain("Too expensive", found);
            Assert.Equal(0, await CliApp.RunAsync(["notes", "list", "--kind", "Objection", .. at]));
            var objections = Take(output);
            Assert.Contains("Too expensive for a team of five", objections);
            Assert.DoesNotContain("HubSpot", objections);
            Assert.Equal(0, await CliApp.RunAsync(["notes", "list", "--search", "zendesk", .. at]));
            Assert.Contains("No field note matches.", Take(output));

            // What is wrong, named, with exit code 2 and nothing written.
            Assert.Equal(2, await CliApp.RunAsync(["sync", "show", "--week", "2026-W99", .. at]));
            Assert.Contains("\"2026-W99\" is not an ISO week such as 2026-W48.", Take(errors));
            Assert.Equal(2, await CliApp.RunAsync(["notes", "add", "Who are you?", "--person", "nobody@acme.test", .. at]));
            Assert.Contains("Nobody has the email nobody@acme.test.", Take(errors));
            Assert.Equal(2, await CliApp.RunAsync(["notes", "list", "--from", "2026-03-10", "--to", "2026-03-01", .. at]));
            Assert.Contains("is before the start date", Take(errors));
        }
        finally { Console.SetOut(before); Console.SetError(beforeError); Spectre.Console.AnsiConsole.Console = ansi; }
        await using var check = db.Open();
        Assert.Equal(2, check.FieldNotes.Count());
    }
}
