using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>Money without a currency is in the company's currency (Company:Currency), and the import says so (decision 0056).</summary>
public class CompanyCurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Deal_rows_without_a_currency_take_the_company_currency_and_the_import_says_so(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var path = h.Write("deals.csv", "id,stage,amount,currency\nD1,Discovery,100,\nD2,Discovery,200,usd\n");
        await using var db = h.Open();
        var r = await Importer.RunAsync(db, new ImportRequest(ImportEntity.Opportunities, path,
            ImportMap.Parse("""{ "externalId": "id", "columns": { "stage": "salesStage" } }""", "m.json"), Currency: "BRL"), ct: Ct);

        Assert.True(r.Committed, string.Join("\n", r.Errors));
        Assert.Equal(["D1 BRL", "D2 USD"], await h.QueryAsync(q => q.Opportunities.OrderBy(o => o.ExternalId).Select(o => o.ExternalId + " " + o.Currency).ToListAsync(Ct)));
        Assert.StartsWith("deals.csv: 1 rows name no currency; their amounts are taken to be in BRL, the company currency (Company:Currency, TANDEM_COMPANY__CURRENCY)",
            Assert.Single(r.Warnings).ToString());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_file_without_a_currency_column_is_in_the_company_currency(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var path = h.Write("deals.csv", "id,stage,amount\nD1,Discovery,100\nD2,Discovery,200\n");
        await using var db = h.Open();
        var r = await Importer.RunAsync(db, new ImportRequest(ImportEntity.Opportunities, path,
            ImportMap.Parse("""{ "externalId": "id", "columns": { "stage": "salesStage" } }""", "m.json"), Currency: "EUR"), ct: Ct);

        Assert.True(r.Committed, string.Join("\n", r.Errors));
        Assert.Equal(["EUR"], await h.QueryAsync(q => q.Opportunities.Select(o => o.Currency).Distinct().ToListAsync(Ct)));
        Assert.Contains("2 rows name no currency", Assert.Single(r.Warnings).Message);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_api_deal_without_a_currency_is_in_the_company_currency(string provider)
    {
        await using var app = await TestApp.StartAsync(provider,
            configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Company:Currency"] = "brl" }));
        var res = await app.Client.PostAsJsonAsync("/api/opportunities", new { name = "Deal", salesStage = "Discovery" }, Ct);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        Assert.Equal("BRL", (await res.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("currency").GetString());
    }

    [Fact]
    public void A_bad_company_currency_is_named()
    {
        Assert.Null(new CompanyOptions().Problem());
        Assert.Equal("Company:Currency (TANDEM_COMPANY__CURRENCY): 'reais' is not a three-letter currency code such as EUR or BRL.",
            new CompanyOptions { Currency = "reais" }.Problem());
    }
}
