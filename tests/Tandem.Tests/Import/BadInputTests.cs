using System.Text;
using Microsoft.EntityFrameworkCore;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>Malformed files get an error that says where (file:line:column) and nothing is written.</summary>
public class BadInputTests
{
    private static async Task AssertNothingImportedAsync(ImportHarness h)
    {
        Assert.Equal(0, await h.QueryAsync(db => db.Opportunities.CountAsync(TestContext.Current.CancellationToken)));
        // Only the two setup imports (accounts, users) completed.
        Assert.Equal(2, await h.QueryAsync(db => db.Activity.CountAsync(a => a.Kind == "import.completed", TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Bad_date_names_file_line_and_column_and_imports_nothing(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var csv = Samples.Pipeline.Replace("2016-10-25", "2017-13-01");
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("sales_pipeline.csv", csv), Samples.PipelineMap);

        Assert.False(r.Committed);
        var e = Assert.Single(r.Errors);
        Assert.Equal("sales_pipeline.csv:3:6 (engage_date): '2017-13-01' is not a date in format yyyy-MM-dd", e.ToString());
        await AssertNothingImportedAsync(h);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_date_outside_the_stored_range_a_NUL_or_a_huge_amount_is_an_error_at_its_cell(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var lines = Samples.Pipeline.Split('\n');
        lines[1] = lines[1].Replace("2016-10-20", "0001-01-01");
        lines[2] = lines[2].Replace("Darcel Schlecht", "Darcel\0Schlecht");
        var csv = string.Join('\n', lines);
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("sales_pipeline.csv", csv), Samples.PipelineMap);

        Assert.False(r.Committed);
        Assert.Contains(r.Errors, e => e.ToString().StartsWith("sales_pipeline.csv:2:6 (engage_date): 'createdAt' 0001-01-01 is outside", StringComparison.Ordinal));
        Assert.Contains(r.Errors, e => e.ToString().StartsWith("sales_pipeline.csv:3:", StringComparison.Ordinal) && e.Message.Contains("NUL"));
        await AssertNothingImportedAsync(h);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Missing_required_column_is_named(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var csv = Samples.Pipeline.Replace("deal_stage", "stage_of_deal");
        var map = Samples.PipelineMap.Replace("\"deal_stage\": [\"salesStage\", \"outcome\"], ", "");
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", csv), map);

        Assert.True(r.Fatal);
        var e = Assert.Single(r.Errors);
        Assert.StartsWith("p.csv:1: missing required column for 'salesStage'", e.ToString());
        Assert.Contains("stage_of_deal", e.Message);
        await AssertNothingImportedAsync(h);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Mapping_that_names_a_column_the_file_lacks_is_refused(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var csv = Samples.Pipeline.Replace("close_value", "amount_usd");
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", csv), Samples.PipelineMap);

        Assert.True(r.Fatal);
        Assert.Contains(r.Errors, e => e.ToString().StartsWith("p.csv:1: the mapping names column 'close_value', which is not in the header"));
        await AssertNothingImportedAsync(h);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Bad_email_names_line_and_column(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var path = h.Write("people.csv", "first_name,email\nAnn,ann@acme.com\nBob,bob-at-acme\n");
        var r = await h.ImportAsync(ImportEntity.People, path);

        Assert.Equal("people.csv:3:2 (email): 'bob-at-acme' is not a valid email address", Assert.Single(r.Errors).ToString());
        Assert.Equal(0, await h.QueryAsync(db => db.People.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Invalid_utf8_is_reported_with_its_line_and_latin1_mapping_reads_it(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var bytes = Encoding.Latin1.GetBytes("email,last_name\nann@acme.com,Smith\nzoe@acme.com,Müller\n");
        var path = h.WriteBytes("people.csv", bytes);

        var r = await h.ImportAsync(ImportEntity.People, path);
        var e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
        Assert.Equal(2, e.Column);
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.Contains("\"encoding\": \"latin1\"", e.Message);
        Assert.Equal(0, await h.QueryAsync(db => db.People.CountAsync(TestContext.Current.CancellationToken)));

        Assert.True((await h.ImportAsync(ImportEntity.People, path, """{ "encoding": "latin1" }""")).Committed);
        Assert.Equal("Müller", await h.QueryAsync(db => db.People.Where(p => p.Email == "zoe@acme.com").Select(p => p.LastName).SingleAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Empty_file_is_refused_and_header_only_file_imports_nothing(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var empty = await h.ImportAsync(ImportEntity.People, h.Write("empty.csv", ""));
        Assert.True(empty.Fatal);
        Assert.Equal("empty.csv:1: the file is empty: expected a header row naming the columns.", Assert.Single(empty.Errors).ToString());

        var headerOnly = await h.ImportAsync(ImportEntity.People, h.Write("header.csv", "email,first_name\r\n"));
        Assert.True(headerOnly.Committed);
        Assert.Equal(0, headerOnly.Rows);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Ragged_row_is_reported_with_its_physical_line(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        // Row 2 has a quoted field over two lines, so the ragged row starts on physical line 5.
        var csv = "email,title\r\nann@acme.com,\"Head of\r\nSales\"\r\nbob@acme.com,CTO\r\ncat@acme.com,CFO,extra\r\n";
        var r = await h.ImportAsync(ImportEntity.People, h.Write("people.csv", csv));

        var e = Assert.Single(r.Errors);
        Assert.Equal(5, e.Line);
        Assert.Contains("this row has 3 fields but the header has 2", e.Message);
        Assert.Equal(0, await h.QueryAsync(db => db.People.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Unknown_account_or_owner_is_a_row_error(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var csv = Samples.Pipeline.Replace("Moses Frase", "Nobody Here").Replace("Betasoloin", "Gone Inc");
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", csv), Samples.PipelineMap);

        Assert.Equal(
            ["p.csv:2:2 (sales_agent): unknown user 'Nobody Here' (matched by externalId, name, email)",
             "p.csv:3:4 (account): unknown account 'Gone Inc' (matched by externalId, name, domain)"],
            r.Errors.Select(e => e.ToString()));
        await AssertNothingImportedAsync(h);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Errors_past_one_hundred_are_counted_not_listed(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var csv = "email\n" + string.Join('\n', Enumerable.Range(0, 250).Select(i => $"bad{i}")) + "\n";
        var r = await h.ImportAsync(ImportEntity.People, h.Write("people.csv", csv));

        Assert.Equal(250, r.ErrorCount);
        Assert.Equal(ImportResult.MaxListed, r.Errors.Count);
        Assert.Equal(250, r.InvalidRows);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Mapping_with_a_misspelt_field_is_refused_before_any_row(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var r = await h.ImportAsync(ImportEntity.Accounts, h.Write("a.csv", Samples.Accounts),
            """{ "columns": { "account": "name", "sector": "industy" }, "values": { "sectr": { "a": "b" } } }""");

        Assert.True(r.Fatal);
        Assert.Contains(r.Errors, e => e.ToString().StartsWith("a.csv:1: column 2 (sector): 'industy' is not a field"));
        Assert.Contains(r.Errors, e => e.Message.Contains("name 'sectr', which is not a field"));
    }

    [Fact]
    public void Mapping_that_is_not_valid_json_says_where()
    {
        var e = Assert.Throws<ImportMapException>(() => ImportMap.Parse("{\n  \"columns\": { \"a\": \"name\" \n  \"x\": 1 }", "map.json"));
        Assert.StartsWith("map.json:3: the mapping is not valid", e.Message);
    }
}
