using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tandem.Cli;

namespace Tandem.Tests.Import;

/// <summary>The `tandem import` and `tandem stats --json` verbs end to end, with their exit codes.</summary>
public class CliImportTests
{
    private static string[] StorageArgs(TestDb db) => db.Storage.Provider == Data.DbProvider.Sqlite
        ? ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Storage.ConnectionString).DataSource)!]
        : ["--postgres", db.Storage.ConnectionString];

    private static async Task<(int Code, string Out)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var stdout = Console.Out;
        Console.SetOut(output);
        try { return (await CliApp.RunAsync(args), output.ToString()); }
        finally { Console.SetOut(stdout); }
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Import_then_stats_json_reports_the_opportunity_summary(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var at = StorageArgs(h.Db);
        var accountsMap = h.Write("accounts.json", Samples.AccountsMap);
        var pipelineMap = h.Write("pipeline.json", Samples.PipelineMap);
        var pipeline = h.Write("sales_pipeline.csv", Samples.Pipeline);

        Assert.Equal(0, (await RunAsync(["import", "accounts", h.Write("accounts.csv", Samples.Accounts), "--map", accountsMap, .. at])).Code);
        // Owners are unknown until users are imported: the pipeline is refused as a whole.
        Assert.Equal(1, (await RunAsync(["import", "opportunities", pipeline, "--map", pipelineMap, .. at])).Code);
        Assert.Equal(0, (await RunAsync(["import", "users", h.Write("users.csv", Samples.Users), .. at])).Code);
        var dry = await RunAsync(["import", "opportunities", pipeline, "--map", pipelineMap, "--dry-run", .. at]);
        Assert.Equal(0, dry.Code);
        Assert.Contains("Dry run of sales_pipeline.csv, nothing written", dry.Out);
        Assert.Equal(0, (await RunAsync(["import", "opportunities", pipeline, "--map", pipelineMap, .. at])).Code);

        var (code, json) = await RunAsync(["stats", "--json", .. at]);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        var o = doc.RootElement.GetProperty("opportunities");
        Assert.Equal((1, 1, 1), (o.GetProperty("won").GetInt32(), o.GetProperty("lost").GetInt32(), o.GetProperty("open").GetInt32()));
        Assert.Equal(0.5m, o.GetProperty("winRate").GetDecimal());
        Assert.Equal(1054m, o.GetProperty("wonAmount").GetDecimal());
        Assert.Equal(132.0, o.GetProperty("meanWonCycleDays").GetDouble());
        Assert.Equal(2, doc.RootElement.GetProperty("counts").GetProperty("accounts").GetInt32());
        Assert.Equal(7, doc.RootElement.GetProperty("peopleByStage").EnumerateObject().Count());
    }

    [Fact]
    public async Task A_mapping_file_that_does_not_exist_is_a_clear_error()
    {
        var err = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(err);
        try { Assert.Equal(1, await CliApp.RunAsync(["import", "people", "x.csv", "--map", "/nonexistent/map.json"])); }
        finally { Console.SetError(stderr); }
        Assert.Contains("Mapping file '/nonexistent/map.json' does not exist.", err.ToString());
    }
}
