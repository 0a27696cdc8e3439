using Tandem.Data;
using Tandem.Features.Campaigns;
using Tandem.Features.Insight;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Tests.Insight;

/// <summary>
/// Properties that must hold for any data: rates stay in [0, 1], a split's segments add up to the total, a cohort
/// never counts a person twice, and attribution credits add up to the amounts. Random funnels with fixed seeds.
/// </summary>
public class InsightPropertyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static async Task<(TestDb Db, InsightFacts Facts)> RandomFunnelAsync(int seed, int people)
    {
        var rng = new Random(seed);
        var testDb = await TestDb.CreateAsync("sqlite");
        await using var db = testDb.Open();
        db.AuditChanges = false;
        var campaigns = Enumerable.Range(0, 4).Select(i => new Campaign
            { Name = $"C{i}", Channel = Tandem.Features.Channels.ChannelSet.Default.All[rng.Next(0, 11)].Channel, CostMinor = rng.Next(0, 100_000), Currency = i == 3 ? "EUR" : "USD", CreatedAt = Start }).ToList();
        db.Campaigns.AddRange(campaigns);
        await db.SaveChangesAsync(Ct);
        var stages = FunnelReport.Stages;
        for (var i = 0; i < people; i++)
        {
            var t = Start.AddHours(rng.Next(0, 24 * 500));
            var p = new Person { Email = $"p{i}@x.test", SourceChannel = rng.Next(5) == 0 ? null : Tandem.Features.Channels.ChannelSet.Default.All[rng.Next(0, 11)].Channel, Title = rng.Next(3) == 0 ? "VP Sales" : null,
                SourceCampaignId = rng.Next(3) == 0 ? campaigns[rng.Next(campaigns.Count)].Id : null, CreatedAt = t, StageChangedAt = t };
            db.People.Add(p);
            await db.SaveChangesAsync(Ct);
            var reach = rng.Next(0, stages.Length);
            LifecycleStage? from = null;
            for (var k = 0; k <= reach; k++)
            {
                if (k > 0 && rng.Next(4) == 0) continue; // skipped stages still count as passed
                db.StageChanges.Add(new StageChange { PersonId = p.Id, From = from, To = stages[k], At = t, Cause = k == 1 ? $"definition:v{rng.Next(1, 3)}" : "test", Actor = "test" });
                from = stages[k];
                t = t.AddHours(rng.Next(1, 24 * 60));
            }
            if (rng.Next(3) == 0) // a re-entry: recycled and back at MQL later; must not count twice
            {
                db.StageChanges.Add(new StageChange { PersonId = p.Id, From = from, To = LifecycleStage.Nurture, At = t, Cause = "sla:reject", Actor = "test", Reason = "No budget" });
                db.StageChanges.Add(new StageChange { PersonId = p.Id, From = LifecycleStage.Nurture, To = LifecycleStage.MQL, At = t.AddDays(30), Cause = "definition:v2", Actor = "test" });
            }
            for (var k = rng.Next(0, 6); k > 0; k--)
                db.Touches.Add(new Touch { EventId = $"e{i}-{k}", PersonId = p.Id, Channel = Tandem.Features.Channels.ChannelSet.Default.All[rng.Next(0, 11)].Channel, Type = (TouchType)rng.Next(0, 20),
                    OccurredAt = p.CreatedAt.AddHours(rng.Next(-200, 24 * 90)), ReceivedAt = p.CreatedAt, CampaignId = rng.Next(2) == 0 ? campaigns[rng.Next(4)].Id : null });
            if (reach >= 3 || rng.Next(10) == 0)
            {
                var created = p.CreatedAt.AddDays(rng.Next(0, 90));
                var outcome = (Outcome)rng.Next(0, 4);
                db.Opportunities.Add(new Opportunity { Name = $"o{i}", PrimaryPersonId = rng.Next(8) == 0 ? null : p.Id, AmountMinor = rng.NextInt64(0, 5_000_000),
                    Currency = rng.Next(5) == 0 ? "EUR" : "USD", SalesStage = "x", CreatedAt = rng.Next(10) == 0 ? null : created, Outcome = outcome,
                    ClosedAt = outcome == Outcome.Open ? null : created.AddDays(rng.Next(1, 120)), OutcomeReason = outcome == Outcome.Lost ? "Price" : null, RecordedAt = created });
            }
            await db.SaveChangesAsync(Ct);
        }
        return (testDb, await InsightLoader.LoadAsync(db, new Personas(), Ct));
    }

    private static async Task<InsightTable> Run(InsightFacts f, TestDb testDb, string report, InsightQuery q)
    {
        await using var db = testDb.Open();
        var def = Reports.Find(report)!;
        Assert.False(Reports.Validate(def, q).Any, report);
        return await Reports.RunAsync(def, f, db, q, Ct);
    }

    private static readonly InsightQuery[] Queries =
    [
        new(), new() { From = Start.AddDays(60), To = Start.AddDays(200) }, new() { Stage = LifecycleStage.MQL, Within = 30 },
        new() { From = Start.AddDays(100), To = Start.AddDays(400), Basis = "closed" },
    ];

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Reports_keep_their_invariants_on_random_funnels(int seed)
    {
        var (testDb, f) = await RandomFunnelAsync(seed, 150);
        await using var _ = testDb;
        foreach (var baseQuery in Queries)
        {
            // Rates are always between 0 and 1, and nothing is NaN.
            foreach (var report in Reports.All)
            {
                var t = await Run(f, testDb, report.Name, baseQuery);
                for (var c = 0; c < t.Columns.Count; c++)
                    foreach (var row in t.Rows)
                    {
                        if (row.Values[c] is not { } v) continue;
                        Assert.False(double.IsNaN(v) || double.IsInfinity(v), $"{report.Name}.{t.Columns[c].Key}");
                        if (t.Columns[c].Kind == "rate") Assert.InRange(v, 0, 1);
                        if (t.Columns[c].Kind is "count" or "days") Assert.True(v >= 0, $"{report.Name}.{t.Columns[c].Key} = {v}");
                    }
            }

            // The segments of a split add up to the total, for every field.
            foreach (var by in Dimensions.Fields.Where(x => x != "currency").Append("property:none"))
            {
                var q = baseQuery with { By = by };
                var next = FunnelReport.Stages[InsightLoader.Rank(baseQuery.Stage ?? LifecycleStage.Inquiry) + 1];
                AssertSums(await Run(f, testDb, "funnel", baseQuery), await Run(f, testDb, "funnel", q), ["cohort", $"reached{next}", $"within{next}"], keyCount: 1);
                AssertSums(await Run(f, testDb, "deals", baseQuery), await Run(f, testDb, "deals", q with { By = by }), ["opportunities", "pipeline", "won", "wonRevenue"], keyCount: 1);
            }

            // A cohort never counts a person twice: its members are distinct and as many as the count.
            var cohort = await Run(f, testDb, "funnel", baseQuery);
            await using (var db = testDb.Open())
                foreach (var row in cohort.Rows)
                {
                    var members = await Reports.MembersAsync(Reports.Find("funnel")!, f, db, baseQuery, row.Keys, "cohort", Ct);
                    Assert.Equal(members.Count, members.Distinct().Count());
                    Assert.Equal(row.Values[0], members.Count);
                }

            // Attribution: per deal and model the credits add up to the amount in cents, so per currency to the deals' total.
            var deals = await Run(f, testDb, "deals", baseQuery);
            foreach (var model in Attribution.Models)
            {
                var a = await Run(f, testDb, "attribution", baseQuery with { Model = model });
                foreach (var currency in deals.Rows.Select(r => r.Keys[1]))
                    Assert.Equal(Cents(deals.Row("All", currency)!.Values[deals.IndexOf("pipeline")]),
                        a.Rows.Where(r => r.Keys[1] == currency).Sum(r => Cents(r.Values[a.IndexOf("pipeline")])));
            }
        }
        for (var i = 0; i < f.OppCount; i++)
            foreach (var model in Attribution.Models)
                Assert.Equal(f.OppAmount[i], AttributionReport.Credits(f, new InsightQuery(), model, i).Sum(c => c.Minor));
    }

    private static long Cents(double? major) => (long)Math.Round((major ?? 0) * 100);

    /// <summary>Each column's total over the split's rows (per currency where there is one) equals the unsplit figure.</summary>
    private static void AssertSums(InsightTable total, InsightTable split, string[] columns, int keyCount)
    {
        foreach (var row in total.Rows)
            foreach (var col in columns)
            {
                var i = total.IndexOf(col);
                var parts = split.Rows.Where(r => r.Keys.Skip(keyCount).SequenceEqual(row.Keys.Skip(keyCount))).Sum(r => Cents(r.Values[i]));
                Assert.True(Cents(row.Values[i]) == parts, $"{total.Report} by {split.KeyColumns[0].Label}: {col} {parts} ≠ {row.Values[i]}");
            }
    }
}
