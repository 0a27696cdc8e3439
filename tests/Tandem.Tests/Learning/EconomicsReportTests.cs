using Microsoft.Extensions.Time.Testing;
using Tandem.Features.Insight;
using Tandem.Features.Learning;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Learning;

/// <summary>The economics report over the demo company through the API: counts that add up, drill-downs that match them, noisy
/// segments unranked, and the figures agreeing with the pure maths.</summary>
public class EconomicsReportTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Segments_add_up_drill_to_their_records_and_small_ones_are_noisy(string provider)
    {
        var (store, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var app = await TestApp.StartOnAsync(store, new FakeTimeProvider(DemoFixture.Now), ownsDb: true);

        var all = await app.GetAsync<InsightTable>("/api/insight/economics");
        var total = Assert.Single(all.Rows);
        var byChannel = await app.GetAsync<InsightTable>("/api/insight/economics?by=channel");
        double Sum(string col) => byChannel.Rows.Sum(r => r[byChannel, col] ?? 0);
        // Every person and customer is in exactly one channel; the campaign cost is shared out, never counted twice.
        Assert.Equal(total[all, "people"], Sum("people"));
        Assert.Equal(total[all, "customers"], Sum("customers"));
        Assert.Equal(total[all, "wonAmount"]!.Value, Sum("wonAmount"), 0);
        Assert.Equal(total[all, "campaignCost"]!.Value, Sum("campaignCost"), 0);
        Assert.True(total[all, "customers"] > 0 && total[all, "campaignCost"] > 0, "the demo has customers and campaign cost");

        var settings = new EconomicsSettings();
        foreach (var r in byChannel.Rows)
        {
            var counts = new SegmentCounts(r.Keys[0], (int)r[byChannel, "people"]!, (int)r[byChannel, "sqls"]!, (int)r[byChannel, "customers"]!,
                r[byChannel, "wonAmount"]!.Value, r[byChannel, "campaignCost"]!.Value);
            var e = UnitEconomics.One(counts, settings);
            Assert.Equal(e.Noisy ? "noisy" : r[byChannel, "rank"] is { } k ? $"#{k}" : "not ranked", r.Keys[1]);
            if (e.Noisy) Assert.Null(r[byChannel, "rank"]);
            if (e.LtvToCac is { } ratio) Assert.Equal(ratio, r[byChannel, "ltvToCac"]!.Value, 2);
            Assert.InRange(r[byChannel, "customerRate"] ?? 0, r[byChannel, "customerRateLow"] ?? 0, r[byChannel, "customerRateHigh"] ?? 1);
        }
        var ranked = byChannel.Rows.Where(r => r[byChannel, "rank"] is not null).ToList();
        Assert.Equal(ranked.OrderByDescending(r => r[byChannel, "ltvToCac"]).Select(r => r.Keys[0]), ranked.Select(r => r.Keys[0]));

        // The numbers open their records: the people, the customers, the won deals.
        var row = byChannel.Rows.OrderByDescending(r => r[byChannel, "customers"]).First();
        foreach (var (col, kind) in new[] { ("people", "person"), ("customers", "person"), ("wonAmount", "opportunity") })
        {
            var link = row.Drill[byChannel.IndexOf(col)]!;
            var page = await app.GetAsync<DrillPage>(link + "&pageSize=500");
            Assert.All(page.Items, i => Assert.Equal(kind, i.Kind));
            if (col != "wonAmount") Assert.Equal((int)row[byChannel, col]!, page.Total);
            else Assert.True(page.Total > 0 == row[byChannel, "wonAmount"] > 0, "the won deals behind the won amount");
        }

        // Bad input names the field.
        await Problem.AssertFieldAsync(await app.Client.GetAsync("/api/insight/economics?by=currency", TestContext.Current.CancellationToken), "by");
    }
}
