namespace Tandem.Features.Learning;

/// <summary>
/// Settings of the unit economics (section "Learning:Economics", TANDEM_LEARNING__ECONOMICS__MARGIN and so on). Amounts are in
/// major units of the company currency.
/// </summary>
public sealed class EconomicsSettings
{
    public const string Section = "Learning:Economics";

    /// <summary>Gross margin on a won amount, 0–1. Default 1: the won amount counts in full.</summary>
    public double Margin { get; set; } = 1;
    /// <summary>The share of customers who renew at the end of each contract, 0 to below 1. Default 0: one contract per customer.</summary>
    public double Retention { get; set; }
    /// <summary>How many months a won amount pays for (the contract term). Default 12.</summary>
    public int ContractMonths { get; set; } = 12;
    /// <summary>Sales cost per new customer, added to every segment's CAC. Default 0.</summary>
    public double SalesCostPerCustomer { get; set; }
    /// <summary>Sales cost of the period for a named segment (the segment's label as the key), added to its CAC.</summary>
    public Dictionary<string, double> SalesCost { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Below this many people or <see cref="MinCustomers"/> customers a segment is "noisy" and not ranked.</summary>
    public int MinPeople { get; set; } = 30;
    public int MinCustomers { get; set; } = 5;

    public string? Problem() =>
        Margin is <= 0 or > 1 ? $"{Section}:Margin: {Margin} is not between 0 (excluded) and 1."
        : Retention is < 0 or >= 1 ? $"{Section}:Retention: {Retention} is not between 0 and 1 (excluded)."
        : ContractMonths <= 0 ? $"{Section}:ContractMonths: {ContractMonths} is not a number of months."
        : SalesCostPerCustomer < 0 || SalesCost.Values.Any(v => v < 0) ? $"{Section}: a sales cost is negative."
        : MinPeople < 1 || MinCustomers < 1 ? $"{Section}: MinPeople and MinCustomers must be at least 1."
        : null;

    /// <summary>The settings a CLI verb or a report runs with: appsettings.json beside the executable, then TANDEM_ variables.</summary>
    public static EconomicsSettings FromEnvironment() =>
        new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("TANDEM_").Build().GetSection(Section).Get<EconomicsSettings>() ?? new EconomicsSettings();
}

/// <summary>What is counted for one segment: the cohort, its outcomes, and what was spent on it (major units).</summary>
public sealed record SegmentCounts(string Segment, int People, int Sqls, int Customers, double WonAmount, double CampaignCost);

/// <summary>One segment's unit economics. Null figures have no meaning (a rate over nobody, a CAC without a customer).</summary>
public sealed record SegmentEconomics(SegmentCounts Counts, double? SqlRate, (double Low, double High) SqlInterval, double? CustomerRate,
    (double Low, double High) CustomerInterval, double? AverageWon, double? Ltv, double SalesCost, double? Cac, double? LtvToCac,
    double? PaybackMonths, bool Noisy, int? Rank)
{
    public string Verdict => Noisy ? "noisy" : Rank is { } r ? $"#{r}" : "not ranked";
}

/// <summary>
/// Conversion and LTV:CAC by segment (pure; docs/metrics.md, decision 0076):
/// LTV = average won amount per customer × margin × 1/(1 − retention) (the expected number of contracts);
/// CAC = (attributed campaign cost + sales cost) / customers; payback = CAC / (average won × margin / contract months).
/// Rates carry 95 % Wilson intervals; segments with too few people or customers are flagged noisy and not ranked.
/// </summary>
public static class UnitEconomics
{
    public static IReadOnlyList<SegmentEconomics> Compute(IEnumerable<SegmentCounts> segments, EconomicsSettings s)
    {
        var rows = segments.Select(c => One(c, s)).ToList();
        var rank = 0;
        // Ranked by LTV:CAC, best first; only segments with enough evidence and a ratio at all.
        var ranked = rows.Where(r => !r.Noisy && r.LtvToCac is not null).OrderByDescending(r => r.LtvToCac).ThenBy(r => r.Counts.Segment, StringComparer.Ordinal)
            .ToDictionary(r => r.Counts.Segment, _ => ++rank, StringComparer.Ordinal);
        return rows.Select(r => r with { Rank = ranked.TryGetValue(r.Counts.Segment, out var k) ? k : null })
            .OrderBy(r => r.Rank ?? int.MaxValue).ThenBy(r => r.Counts.Segment, StringComparer.Ordinal).ToList();
    }

    public static SegmentEconomics One(SegmentCounts c, EconomicsSettings s)
    {
        double? Rate(int k) => c.People > 0 ? (double)k / c.People : null;
        double? avg = c.Customers > 0 ? c.WonAmount / c.Customers : null;
        var ltv = avg * s.Margin / (1 - s.Retention);
        var sales = s.SalesCost.GetValueOrDefault(c.Segment) + s.SalesCostPerCustomer * c.Customers;
        double? cac = c.Customers > 0 ? (c.CampaignCost + sales) / c.Customers : null;
        double? ratio = cac is > 0 && ltv is { } l ? l / cac.Value : null;
        var monthly = avg * s.Margin / s.ContractMonths;
        double? payback = cac is { } k && monthly is > 0 ? k / monthly.Value : null;
        var noisy = c.People < s.MinPeople || c.Customers < s.MinCustomers;
        return new SegmentEconomics(c, Rate(c.Sqls), ModelMetrics.Wilson(c.Sqls, c.People), Rate(c.Customers), ModelMetrics.Wilson(c.Customers, c.People),
            avg, ltv, sales, cac, ratio, payback, noisy, null);
    }
}
