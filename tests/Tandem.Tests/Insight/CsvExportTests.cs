using Tandem.Api;
using Tandem.Features.Touches;

namespace Tandem.Tests.Insight;

/// <summary>Exports never hand a spreadsheet a formula: names that start like one are neutralised (OWASP CSV injection).</summary>
public class CsvExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+SUM(A1)", "'+SUM(A1)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"")]
    [InlineData("Spring launch", "Spring launch")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("", "")]
    public void A_text_cell_is_quoted_and_never_starts_a_formula(string value, string cell) => Assert.Equal(cell, CsvCell.Text(value));

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Report_and_drill_down_exports_neutralise_names_an_ingest_key_can_set(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.PostAsync<object>("/api/campaigns", new { name = "=1+2", channel = "Email" });
        await app.PostAsync<BatchResult>("/api/touches:batch", new
        {
            touches = new[]
            {
                new { eventId = "x1", email = "eve@acme.com", firstName = "@SUM(1)", type = "WebVisit", campaign = "=1+2", occurredAt = app.Clock.GetUtcNow().AddDays(-1).ToString("O") },
            },
        });

        var report = await app.Client.GetStringAsync("/api/insight/funnel?by=campaign&format=csv", Ct);
        Assert.Contains("\r\n'=1+2,", report);
        var drill = await app.Client.GetStringAsync("/api/insight/funnel/drill?by=campaign&key=" + Uri.EscapeDataString("=1+2") + "&cell=cohort&format=csv", Ct);
        Assert.Contains(",'@SUM(1)", drill);
        foreach (var line in (report + drill).Split("\r\n"))
            Assert.DoesNotContain(line.Split(','), cell => cell.Length > 0 && cell[0] is '=' or '+' or '@');
    }
}
