using System.Net.Http.Json;
using Tandem.Features.Import;
using Tandem.Features.Insight;

namespace Tandem.Tests.Insight;

/// <summary>
/// The worked example of docs/guide/insight.md: a CRM's contacts (first-contact date, lead source, two columns of its
/// own) and deals (close date) loaded with the foundation import, then conversion and cycle by channel and by the
/// export's own Segment column. Figures worked out by hand from samples/crm-export.
/// </summary>
public class CrmExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<InsightTable> GetAsync(TestApp app, string url)
    {
        var res = await app.Client.GetAsync(url, Ct);
        Assert.True(res.IsSuccessStatusCode, $"{url}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync(Ct)}");
        return (await res.Content.ReadFromJsonAsync<InsightTable>(TestApp.Json, Ct))!;
    }

    private static double? V(InsightTable t, string column, params string[] keys) => t.Row(keys)!.Values[t.IndexOf(column)];

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_crm_export_of_contacts_and_deals_gives_conversion_and_cycle_by_channel_and_segment(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var dir = Tandem.Tests.Import.Samples.Folder("crm-export");
        foreach (var (entity, file, map) in new[] { (ImportEntity.People, "contacts.csv", "contacts.json"), (ImportEntity.Opportunities, "deals.csv", "deals.json") })
        {
            await using var db = app.Db.Open(app.Clock);
            var r = await Importer.RunAsync(db, new ImportRequest(entity, Path.Combine(dir, file),
                ImportMap.Parse(File.ReadAllText(Path.Combine(dir, map)), map), false, false), ct: Ct);
            Assert.True(r.Committed, $"{file}: " + string.Join('\n', r.Errors));
        }

        // The contacts carry no stage history past Inquiry: deals alone move them to SQL (created) and Customer (won).
        var byChannel = await GetAsync(app, "/api/insight/funnel?by=channel&within=90");
        // Email: Ana, Ben, Carla, Dev; deals for Ana (won), Ben (lost), Dev (won).
        Assert.Equal(4, V(byChannel, "cohort", "Email"));
        Assert.Equal(3, V(byChannel, "reachedSQL", "Email"));
        Assert.Equal(2, V(byChannel, "reachedCustomer", "Email"));
        Assert.Equal(0.5, V(byChannel, "rateCustomer", "Email"));
        // First contact to won: Ana 6 Jan → 20 Mar = 73 days, Dev 3 Feb → 28 Apr = 84 days.
        Assert.Equal(78.5, V(byChannel, "medianDaysCustomer", "Email"));
        // Webinar: Jon won after 112 days, outside 90.
        Assert.Equal(1, V(byChannel, "reachedCustomer", "Webinar"));
        Assert.Equal(0, V(byChannel, "withinCustomer", "Webinar"));

        var bySegment = await GetAsync(app, "/api/insight/funnel?by=property:Segment");
        Assert.Equal(7, V(bySegment, "cohort", "Enterprise"));
        Assert.Equal(4, V(bySegment, "reachedCustomer", "Enterprise"));
        Assert.Equal(2, V(bySegment, "reachedCustomer", "SMB"));
        Assert.Equal(38, V(bySegment, "medianDaysCustomer", "SMB")); // Emma 39, Hugo 37

        // Sales cycle (deal created → closed) and win rate, by channel and by segment.
        var deals = await GetAsync(app, "/api/insight/deals?by=channel");
        Assert.Equal(2.0 / 3, V(deals, "winRate", "Email", "USD"));
        Assert.Equal(51, V(deals, "cycleMedianDays", "Email", "USD")); // Ana 46 days, Dev 56 days
        Assert.Equal(54_000, V(deals, "wonRevenue", "Email", "USD"));
        var dealsBySegment = await GetAsync(app, "/api/insight/deals?by=property:Segment");
        Assert.Equal(0.8, V(dealsBySegment, "winRate", "Enterprise", "USD"));
        Assert.Equal(0.5, V(dealsBySegment, "winRate", "SMB", "USD"));

        // And the numbers open the records: the two Email customers.
        var drill = await app.Client.GetFromJsonAsync<DrillPage>(byChannel.Row("Email")!.Drill[byChannel.IndexOf("reachedCustomer")]!, TestApp.Json, Ct);
        Assert.Equal(["ana@northwind.example", "dev@tailspin.example"], drill!.Items.Select(i => i.Detail!.Split(" · ")[1]).Order());
    }
}
