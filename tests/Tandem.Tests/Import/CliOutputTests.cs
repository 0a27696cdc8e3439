using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>
/// The command line as a script or a pipe sees it (decision 0058): the real executable, stdout piped, COLUMNS=80. Reports
/// print plain aligned text or one block per row, never "…"; each report's help lists its own options; a mistyped verb is named.
/// </summary>
public class CliOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] StorageArgs(TestDb db) => db.Storage.Provider == Data.DbProvider.Sqlite
        ? ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Storage.ConnectionString).DataSource)!]
        : ["--postgres", db.Storage.ConnectionString];

    private static async Task<(int Code, string Out, string Err)> PipedAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tandem.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "80";
        psi.Environment.Remove("TANDEM_POSTGRES");
        using var p = Process.Start(psi)!;
        var (stdout, stderr) = (p.StandardOutput.ReadToEndAsync(Ct), p.StandardError.ReadToEndAsync(Ct));
        await p.WaitForExitAsync(Ct);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Reports_piped_at_80_columns_are_readable(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var dir = Samples.Folder("crm-export");
        Assert.True((await h.ImportAsync(ImportEntity.People, Path.Combine(dir, "contacts.csv"), File.ReadAllText(Path.Combine(dir, "contacts.json")))).Committed);
        Assert.True((await h.ImportAsync(ImportEntity.Opportunities, Path.Combine(dir, "deals.csv"), File.ReadAllText(Path.Combine(dir, "deals.json")))).Committed);
        var at = StorageArgs(h.Db);

        // The funnel is far wider than 80 columns: one block per segment, every line within 80 characters.
        var funnel = await PipedAsync(["funnel", "--by", "channel", .. at]);
        Assert.Equal(0, funnel.Code);
        var lines = funnel.Out.Split('\n');
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= 80, $"wider than 80: '{l}'"));
        Assert.DoesNotContain("…", funnel.Out);
        Assert.Contains("channel: Email", lines);
        Assert.Contains(lines, l => l.StartsWith("  Reached Inquiry ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 4", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  → Customer ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("50.0 %", StringComparison.Ordinal));

        // A narrow report stays a table: a header, a rule and aligned rows, no box drawing.
        var flow = await PipedAsync(["insight", "reasons", .. at]);
        Assert.Equal(0, flow.Code);
        Assert.DoesNotContain("─", flow.Out);
        Assert.DoesNotContain("│", flow.Out);

        // Split by cohort month, in calendar days; JSON rates are fractions.
        var cohort = await PipedAsync(["funnel", "--by", "cohort-month", "--days", "calendar", .. at]);
        Assert.Equal(0, cohort.Code);
        Assert.Contains("cohort-month: 2026-01", cohort.Out.Split('\n'));
        var json = await PipedAsync(["insight", "deals", "--json", .. at]);
        Assert.Contains("\"winRate\"", json.Out.Replace(" ", ""), StringComparison.Ordinal);

        var stats = await PipedAsync(["stats", "--json", .. at]);
        Assert.Contains("\"winRate\": 0.", stats.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_report_help_lists_only_its_own_options()
    {
        var funnel = (await PipedAsync("funnel", "--help")).Out;
        Assert.Contains("--stage", funnel);
        Assert.Contains("--days", funnel);
        Assert.Contains("cohort-month", funnel);
        Assert.DoesNotContain("--model", funnel);
        Assert.DoesNotContain("--interval", funnel);

        var flow = (await PipedAsync("insight", "flow", "--help")).Out;
        Assert.Contains("--interval", flow);
        Assert.DoesNotContain("--stage", flow);
        Assert.DoesNotContain("--half-life", flow);
        Assert.DoesNotContain("cohort-month", flow);

        var attribution = (await PipedAsync("attribution", "--help")).Out;
        Assert.Contains("--model", attribution);
        Assert.DoesNotContain("--within", attribution);
    }

    [Fact]
    public async Task An_unknown_verb_is_named()
    {
        var (code, stdout, stderr) = await PipedAsync("teleport");
        Assert.Equal(1, code);
        Assert.StartsWith("unknown command 'teleport'. The commands of 'tandem' are: serve, migrate, import", stderr);
        Assert.Equal("", stdout);

        var sub = await PipedAsync("insight", "teleport");
        Assert.StartsWith("unknown command 'teleport'. The commands of 'tandem insight' are: funnel, flow", sub.Err);
    }
}
