using Microsoft.Extensions.Options;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Learning;

/// <summary>
/// Unit economics by segment as an Insight report ("economics"), so it splits by any Insight field, filters, drills to its records
/// and exports like the others. The cohort: people who became an Inquiry in the period. Counted off the facts here, computed by
/// <see cref="UnitEconomics"/> (pure). Money is the company currency's; deals and campaigns in another currency are left out and
/// the notes say how many.
/// </summary>
public static class EconomicsReport
{
    public const string Name = "economics";

    /// <summary>The settings a run uses, read for each run (decision 0091): the server's current configuration through
    /// <see cref="IOptionsMonitor{T}"/> (appsettings.json is reloaded when it changes), or, without services (the CLI),
    /// appsettings.json and TANDEM_ variables as they are now.</summary>
    public static EconomicsSettings Settings(IServiceProvider? services) =>
        services?.GetService<IOptionsMonitor<EconomicsSettings>>()?.CurrentValue ?? EconomicsSettings.FromEnvironment();

    public static (string Key, Func<InsightFacts, Slices, InsightQuery, InsightTable> Run) WithSettings(IServiceProvider? services)
    {
        var settings = Settings(services);
        var currency = CompanyOptions.ReadSettings().Code;
        return ("#" + System.Text.Json.JsonSerializer.Serialize(settings) + currency, (f, s, q) => Run(f, s, q, settings, currency));
    }

    private static readonly InsightColumn[] Cols =
    [
        new("people", "People (became an Inquiry)", "count"), new("sqls", "Reached SQL", "count"), new("sqlRate", "SQL rate", "rate"),
        new("sqlRateLow", "SQL rate, 95 % low", "rate"), new("sqlRateHigh", "SQL rate, 95 % high", "rate"),
        new("customers", "Became customers", "count"), new("customerRate", "Customer rate", "rate"),
        new("customerRateLow", "Customer rate, 95 % low", "rate"), new("customerRateHigh", "Customer rate, 95 % high", "rate"),
        new("wonAmount", "Won amount", "money"), new("averageWon", "Average won per customer", "money"), new("ltv", "LTV", "money"),
        new("campaignCost", "Attributed campaign cost", "money"), new("salesCost", "Sales cost", "money"), new("cac", "CAC", "money"),
        new("ltvToCac", "LTV:CAC", "ratio"), new("paybackMonths", "Payback (months)", "ratio"), new("rank", "Rank by LTV:CAC", "count"),
    ];

    /// <summary>Which records stand behind each column (null: computed, no records of its own).</summary>
    private static readonly string?[] Cells =
        ["people", "sqls", "sqls", null, null, "customers", "customers", null, null, "won", "won", null, "people", null, null, null, null, null];

    public static void Check(InsightQuery q, Errors e)
    {
        if (q.By is "currency") e.Add("by", "Unit economics are in the company currency; split by a people field, channel or campaign.");
    }

    public static InsightTable Run(InsightFacts f, Slices slices, InsightQuery q) => Run(f, slices, q, Settings(null), CompanyOptions.ReadSettings().Code);

    public static InsightTable Run(InsightFacts f, Slices slices, InsightQuery q, EconomicsSettings settings, string currency)
    {
        var p = slices.Person;
        var inCohort = Cohort(f, q);
        var (people, sqls, customers) = (new int[p.Segments], new int[p.Segments], new int[p.Segments]);
        var won = new long[p.Segments];
        var cost = new double[p.Segments];
        for (var i = 0; i < f.PeopleCount; i++)
        {
            if (!inCohort[i] || !p.Pass(i)) continue;
            var s = p.SegmentOf(i);
            people[s]++;
            if (f.Reached[InsightFacts.SqlRank][i] != Clock.None) sqls[s]++;
            if (f.Reached[InsightFacts.CustomerRank][i] != Clock.None) customers[s]++;
        }
        var otherCurrency = 0;
        for (var o = 0; o < f.OppCount; o++)
        {
            var person = f.OppPerson[o];
            if (f.OppOutcome[o] != Outcome.Won || person < 0 || !inCohort[person] || !p.Pass(person)) continue;
            if (f.Currencies[f.OppCurrency[o]] != currency) { otherCurrency++; continue; }
            won[p.SegmentOf(person)] += f.OppAmount[o];
        }
        // A campaign's cost in the period is shared among the cohort people it sourced, whatever their segment or filters; each
        // segment carries its people's share. Cost of a campaign that sourced nobody in the cohort has no one to attribute to.
        var sourced = new int[f.Campaigns.Length];
        for (var i = 0; i < f.PeopleCount; i++)
            if (inCohort[i] && f.PersonCampaign[i] >= 0) sourced[f.PersonCampaign[i]]++;
        var (unattributed, otherCurrencyCampaigns) = (0.0, 0);
        var campaignCost = new double[f.Campaigns.Length];
        for (var k = 0; k < f.Campaigns.Length; k++)
        {
            var c = f.Campaigns[k];
            var spent = InsightMath.Major(ChannelsReport.CostIn(c, q));
            if (spent == 0) continue;
            if (!string.Equals(c.Currency, currency, StringComparison.OrdinalIgnoreCase)) { otherCurrencyCampaigns++; continue; }
            if (sourced[k] == 0) unattributed += spent;
            else campaignCost[k] = spent / sourced[k];
        }
        for (var i = 0; i < f.PeopleCount; i++)
            if (inCohort[i] && p.Pass(i) && f.PersonCampaign[i] >= 0) cost[p.SegmentOf(i)] += campaignCost[f.PersonCampaign[i]];

        var counts = Enumerable.Range(0, p.Segments).Where(s => people[s] > 0)
            .Select(s => new SegmentCounts(p.Label(s), people[s], sqls[s], customers[s], InsightMath.Major(won[s]), Math.Round(cost[s], 2)));
        var baseQuery = q.ToQueryString();
        var rows = UnitEconomics.Compute(counts, settings).Select(e =>
        {
            var c = e.Counts;
            string[] keys = [c.Segment, e.Verdict];
            return new InsightRow(keys,
            [
                c.People, c.Sqls, e.SqlRate, e.SqlInterval.Low, e.SqlInterval.High, c.Customers, e.CustomerRate, e.CustomerInterval.Low,
                e.CustomerInterval.High, c.WonAmount, Money(e.AverageWon), Money(e.Ltv), c.CampaignCost, Money(e.SalesCost), Money(e.Cac),
                Round(e.LtvToCac, 2), Round(e.PaybackMonths, 1), e.Rank,
            ], Cells.Select(cell => cell is null ? null : $"/api/insight/{Name}/drill?{baseQuery}{InsightQuery.DrillSuffix(keys, cell)}").ToArray());
        }).ToList();
        var notes = new List<string>
        {
            "People: those who became an Inquiry in the period; SQLs and customers: those of them who got there by now. Rates carry 95 % Wilson intervals.",
            $"LTV: average won amount per customer × margin {settings.Margin:0.##} × 1/(1 − retention {settings.Retention:0.##}). " +
            $"CAC: (attributed campaign cost + sales cost) / customers. Payback: CAC / (average won × margin / {settings.ContractMonths} months).",
            "Campaign cost: each campaign's cost in the period shared equally among the people in the cohort it sourced.",
            $"Noisy: fewer than {settings.MinPeople} people or {settings.MinCustomers} customers; not ranked, because the figures could be chance.",
            $"Amounts in {currency}.",
        };
        if (otherCurrency > 0 || otherCurrencyCampaigns > 0)
            notes.Add($"Left out in another currency: {otherCurrency} won deal(s) and {otherCurrencyCampaigns} campaign(s).");
        if (unattributed > 0) notes.Add($"{unattributed:N0} {currency} of campaign cost sourced nobody in the cohort and is in no segment.");
        return new InsightTable(Name, "Unit economics by segment: conversion, LTV, CAC, LTV:CAC and payback",
            [new("segment", q.By ?? "segment", "text"), new("verdict", "Ranking", "text")], Cols, rows, notes);
    }

    private static double? Money(double? v) => v is { } x ? Math.Round(x, 2) : null;
    private static double? Round(double? v, int digits) => v is { } x ? Math.Round(x, digits) : null;

    /// <summary>Who the figures are about: people who became an Inquiry in the period (ever, without one).</summary>
    private static bool[] Cohort(InsightFacts f, InsightQuery q)
    {
        var inquiry = f.Reached[0];
        var cohort = new bool[f.PeopleCount];
        for (var i = 0; i < cohort.Length; i++) cohort[i] = q.HasPeriod ? q.InPeriod(inquiry[i]) : inquiry[i] != Clock.None;
        return cohort;
    }

    public static IEnumerable<Member> Members(InsightFacts f, Slices slices, InsightQuery q, IReadOnlyList<string> keys, string cell)
    {
        if (keys.Count < 1) yield break;
        var p = slices.Person;
        var seg = p.SegmentCode(keys[0]);
        if (seg < 0) yield break;
        var cohort = Cohort(f, q);
        bool Mine(int i) => cohort[i] && p.Pass(i) && p.SegmentOf(i) == seg;
        if (cell == "won")
        {
            var currency = CompanyOptions.ReadSettings().Code;
            for (var o = 0; o < f.OppCount; o++)
            {
                var person = f.OppPerson[o];
                if (f.OppOutcome[o] == Outcome.Won && person >= 0 && Mine(person) && f.Currencies[f.OppCurrency[o]] == currency)
                    yield return new Member(Subject.Opportunity, o);
            }
            yield break;
        }
        var rank = cell switch { "people" => 0, "sqls" => InsightFacts.SqlRank, "customers" => InsightFacts.CustomerRank, _ => -1 };
        if (rank < 0) yield break;
        for (var i = 0; i < f.PeopleCount; i++)
            if (Mine(i) && f.Reached[rank][i] != Clock.None) yield return new Member(Subject.Person, i);
    }
}
