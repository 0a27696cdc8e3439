using Microsoft.Data.Sqlite;
using Tandem.Cli;
using Tandem.Data;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

public class NurtureCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_verbs_list_show_preview_and_report_a_track_and_name_what_is_missing()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        string[] at = ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Storage.ConnectionString).DataSource)!];
        Assert.Equal(0, await CliApp.RunAsync(["migrate", .. at]));
        await using (var ctx = db.Open())
        {
            var content = new TrackContent(new EnrolRule(LifecycleStage.Inquiry), [new Step("m1", StepKind.Message, [new Variant("A", "Hi {{ firstName }}", "Hello {{ firstName | there }}")])]);
            ctx.NurtureTracks.Add(new NurtureTrack { Name = "Welcome", Status = TrackStatus.Active, Content = content.ToJson(), CreatedAt = ctx.UtcNow });
            ctx.People.Add(new Features.People.Person { Email = "ann@acme.test", FirstName = "Ann", CreatedAt = ctx.UtcNow, StageChangedAt = ctx.UtcNow });
            await ctx.SaveChangesAsync(Ct);
        }
        var output = new StringWriter();
        var before = Console.Out;
        Console.SetOut(output);
        // Spectre's console keeps the writer it found when first used, which an earlier CLI test in this process may have set up.
        var ansi = Spectre.Console.AnsiConsole.Console;
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output), Ansi = Spectre.Console.AnsiSupport.No, ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
        });
        try
        {
            Assert.Equal(0, await CliApp.RunAsync(["nurture", "tracks", "list", .. at]));
            Assert.Equal(0, await CliApp.RunAsync(["nurture", "tracks", "show", "Welcome", .. at]));
            Assert.Equal(0, await CliApp.RunAsync(["nurture", "preview", "Welcome", "m1", "ann@acme.test", .. at]));
            Assert.Equal(0, await CliApp.RunAsync(["nurture", "results", "1", "--json", .. at]));
        }
        finally { Console.SetOut(before); Spectre.Console.AnsiConsole.Console = ansi; }
        var text = output.ToString();
        Assert.Contains("Enrols inquiries below the MQL score", text);
        Assert.Contains("Subject: Hi Ann", text);
        Assert.Contains("Hello Ann", text);
        Assert.Contains("\"name\": \"Welcome\"", text);
        Assert.Equal(2, await CliApp.RunAsync(["nurture", "results", "Nope", .. at]));
        Assert.Equal(2, await CliApp.RunAsync(["nurture", "preview", "Welcome", "m9", "ann@acme.test", .. at]));
    }
}
