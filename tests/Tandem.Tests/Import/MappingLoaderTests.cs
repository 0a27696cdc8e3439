using System.Text;
using Microsoft.EntityFrameworkCore;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>The mapping file and the CSV text are user input: every oddity gets a message naming the fix, never a stack trace (decision 0055).</summary>
public class MappingLoaderTests
{
    [Fact]
    public void Value_map_keys_that_differ_only_in_case_are_one_entry_when_they_agree()
    {
        var map = ImportMap.Parse("""{ "values": { "channel": { "Google": "PaidSearch", "google": "PaidSearch" } } }""", "map.json");
        Assert.Equal("PaidSearch", map.Values["CHANNEL"]["GOOGLE"]);
    }

    [Fact]
    public void Value_map_keys_that_differ_only_in_case_and_disagree_are_named_with_the_file()
    {
        var e = Assert.Throws<ImportMapException>(() =>
            ImportMap.Parse("""{ "values": { "channel": { "Google": "PaidSearch", "google": "Organic" } } }""", "leads.json"));
        Assert.Equal("leads.json: values.channel has the keys 'Google' and 'google', which differ only in case and are matched ignoring case, "
            + "but map to different values; keep one of them.", e.Message);
    }

    [Theory]
    [InlineData("""{ "columns": { "Source": "channel", "source": "ignore" } }""", "columns has the keys 'Source' and 'source'")]
    [InlineData("""{ "defaults": { "currency": "EUR", "Currency": "BRL" } }""", "defaults has the keys 'currency' and 'Currency'")]
    [InlineData("""{ "columns": { "a": 3 } }""", "columns.a: expected a field name")]
    [InlineData("""{ "columns": { "a": ["name", 1] } }""", "columns.a: expected a field name")]
    [InlineData("""{ "delimiter": ";;" }""", "delimiter ';;' must be one character")]
    public void Odd_mappings_are_errors_naming_the_file(string json, string expected)
    {
        var e = Assert.Throws<ImportMapException>(() => ImportMap.Parse(json, "m.json"));
        Assert.StartsWith("m.json:", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Null_sections_read_as_absent()
    {
        var map = ImportMap.Parse("""{ "values": null, "columns": null, "defaults": { "x": null }, "scale": null }""", "m.json");
        Assert.Empty(map.Values);
        Assert.Empty(map.Columns);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_case_variant_value_map_imports(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var path = h.Write("people.csv", "email,source\na@x.com,Google\nb@x.com,google\n");
        var r = await h.ImportAsync(ImportEntity.People, path,
            """{ "columns": { "source": "sourceChannel" }, "values": { "sourceChannel": { "Google": "PaidSearch", "google": "PaidSearch" } } }""");
        Assert.True(r.Committed, string.Join("\n", r.Errors));
        Assert.Equal(2, r.Created);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Empty_header_columns_are_ignored_with_a_warning(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        // A spreadsheet's trailing empty column, sometimes left off the data rows, and one in the middle.
        var path = h.Write("people.csv", "email,,first_name,\na@x.com,,Ann,\nb@x.com,,Bob\n");
        var r = await h.ImportAsync(ImportEntity.People, path);

        Assert.True(r.Committed, string.Join("\n", r.Errors));
        Assert.Equal(2, r.Created);
        Assert.Equal(["people.csv:1:2: column 2 has no name in the header; it is ignored. Name it in the header to import it.",
                      "people.csv:1:4: column 4 has no name in the header; it is ignored. Name it in the header to import it."],
            r.Warnings.Select(w => w.ToString()));
        Assert.Equal(0, await h.QueryAsync(db => db.CustomProperties.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Semicolons_a_BOM_CRLF_and_quoted_newlines_are_read(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var text = "email;first_name;title\r\nann@acme.com;Ann;\"Head of\r\nSales; EMEA\"\r\nbob@acme.com;Bob;CTO\r\n";
        var path = h.WriteBytes("people.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
        var r = await h.ImportAsync(ImportEntity.People, path);

        Assert.True(r.Committed, string.Join("\n", r.Errors));
        Assert.Contains(r.Warnings, w => w.Message.StartsWith("the columns are separated by ';'", StringComparison.Ordinal));
        var ann = await h.QueryAsync(db => db.People.SingleAsync(p => p.Email == "ann@acme.com", TestContext.Current.CancellationToken));
        Assert.Equal(("Ann", "Head of\r\nSales; EMEA"), (ann.FirstName, ann.Title));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Invalid_utf8_is_reported_at_file_line_and_column(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        byte[] bad = [.. Encoding.UTF8.GetBytes("email;first_name\nann@acme.com;Ann\nbob@acme.com;B"), 0xC3, 0x28, .. "\n"u8];
        var r = await h.ImportAsync(ImportEntity.People, h.WriteBytes("p.csv", bad));

        Assert.StartsWith("p.csv:3:2 (first_name): the text is not valid UTF-8", Assert.Single(r.Errors).ToString());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_missing_stage_column_suggests_a_default(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", "opportunity_id,close_value\nA1,10\n"), """{ "externalId": "opportunity_id" }""");

        var e = Assert.Single(r.Errors).ToString();
        Assert.StartsWith("p.csv:1: missing required column for 'salesStage'. If every row has the same salesStage, give it in the mapping "
            + "(\"defaults\": { \"salesStage\": \"…\" })", e);

        var fixedUp = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", "opportunity_id,close_value\nA1,10\n"),
            """{ "externalId": "opportunity_id", "defaults": { "salesStage": "Closed" } }""");
        Assert.True(fixedUp.Committed, string.Join("\n", fixedUp.Errors));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_closed_date_without_an_outcome_suggests_a_default_outcome(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var csv = "opportunity_id,stage,closed\nA1,Closed Won,2024-01-02\n";
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", csv),
            """{ "externalId": "opportunity_id", "columns": { "stage": "salesStage", "closed": "closedAt" } }""");
        Assert.Contains("give the outcome in the mapping (\"defaults\": { \"outcome\": \"Won\" })", Assert.Single(r.Errors).Message);

        var mapped = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", csv),
            """{ "externalId": "opportunity_id", "columns": { "stage": ["salesStage", "outcome"], "closed": "closedAt" }, "values": { "outcome": { "Closed Lost": "Lost" } } }""");
        Assert.Contains(mapped.Errors, e => e.Message.Contains(
            "is not one of Open, Won, Lost, NoDecision; translate it in the mapping: \"values\": { \"outcome\": { \"Closed Won\": \"…\" } }", StringComparison.Ordinal));

        var ok = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", csv),
            """{ "externalId": "opportunity_id", "columns": { "stage": "salesStage", "closed": "closedAt" }, "defaults": { "outcome": "Won" } }""");
        Assert.True(ok.Committed, string.Join("\n", ok.Errors));
    }
}
