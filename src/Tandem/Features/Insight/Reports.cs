using Tandem.Api;
using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>A record behind a number: a person or an opportunity, by its position in the facts.</summary>
public readonly record struct Member(Subject Subject, int Index);

/// <summary>One report: how it is checked, run and drilled into. The API, CLI and pages all go through <see cref="Reports"/>.</summary>
public sealed record ReportDef(string Name, string Summary, Subject Subject,
    Func<InsightFacts, Slices, InsightQuery, InsightTable> Run,
    Func<InsightFacts, Slices, InsightQuery, IReadOnlyList<string>, string, IEnumerable<Member>> Members,
    Action<InsightQuery, Errors>? Check = null)
{
    /// <summary>For a report whose figures depend on settings that may change while the server runs: reads them now (from the
    /// request's services; from appsettings.json and TANDEM_ variables without them, as the CLI does) and returns the run with
    /// them, and their text, which joins the cache key so a changed setting shows on the next request.</summary>
    public Func<IServiceProvider?, (string Key, Func<InsightFacts, Slices, InsightQuery, InsightTable> Run)>? WithSettings { get; init; }
}

public static class Reports
{
    public static readonly IReadOnlyList<ReportDef> All =
    [
        new(FunnelReport.Name, "Cohort conversion: of those who reached a stage in the period, the share reaching each later stage (by now and within N days), with velocity.",
            Subject.Person, FunnelReport.Run, FunnelReport.Members, FunnelReport.Check),
        new(FlowReport.Name, "Flow: people entering each funnel stage per week, month or quarter.",
            Subject.Person, FlowReport.Run, FlowReport.Members),
        new(DealsReport.Name, "Opportunities: pipeline created, win rate, won revenue, average won deal and sales cycle, per currency.",
            Subject.Opportunity, (f, s, q) => DealsReport.Run(f, s.Opp, q),
            (f, s, q, k, c) => DealsReport.Members(f, s.Opp, q, k, c).Select(i => new Member(Subject.Opportunity, i))),
        new(ReasonsReport.Name, "Reasons: lost and no-decision reasons of deals closed in the period, and rejection and disqualification reasons of people.",
            Subject.Opportunity, ReasonsReport.Run, ReasonsReport.Members),
        new(ChannelsReport.Name, "Channels and campaigns: cost, stage counts, cost per inquiry, MQL, SQL, opportunity and won deal, and ROI.",
            Subject.Person, ChannelsReport.Run, ChannelsReport.Members, ChannelsReport.Check),
        new(AttributionReport.Name, "Attribution: pipeline and won revenue credited to channels or campaigns by one model, and what each sourced and influenced.",
            Subject.Opportunity, AttributionReport.Run, AttributionReport.Members, AttributionReport.Check),
        new(AttributionReport.CompareName, "Attribution models side by side: pipeline and won revenue credited by every model.",
            Subject.Opportunity, AttributionReport.Compare, AttributionReport.Members, AttributionReport.Check),
        new(Learning.EconomicsReport.Name, "Unit economics by segment: SQL and customer rates with Wilson intervals, LTV, CAC, LTV:CAC and payback; small segments flagged noisy.",
            Subject.Person, Learning.EconomicsReport.Run, Learning.EconomicsReport.Members, Learning.EconomicsReport.Check)
            { WithSettings = Learning.EconomicsReport.WithSettings },
    ];

    public static ReportDef? Find(string name) => All.FirstOrDefault(r => r.Name == name);

    public static Errors Validate(ReportDef report, InsightQuery q)
    {
        var e = q.Validate(report.Subject);
        if (q.CohortPeriod is not null && !Cohorts.Reports.Contains(report.Name))
            e.Add("by", $"'{q.By}' splits reports that have a cohort: {string.Join(", ", Cohorts.Reports)}. The {report.Name} report has none.");
        report.Check?.Invoke(q, e);
        return e;
    }

    /// <summary>Runs a report that <see cref="Validate"/> accepted.</summary>
    /// <param name="services">The request's services, for reports that read settings at run time (<see cref="ReportDef.WithSettings"/>).</param>
    public static async Task<InsightTable> RunAsync(ReportDef report, InsightFacts f, TandemDb db, InsightQuery q, CancellationToken ct,
        bool cached = true, IServiceProvider? services = null)
    {
        var (settings, run) = report.WithSettings?.Invoke(services) ?? ("", report.Run);
        var key = report.Name + "?" + q.ToQueryString() + settings;
        if (cached && f.Results.TryGetValue(key, out var hit)) return hit;
        var table = run(f, await SliceFor(report, f, db, q, ct), q);
        if (f.Results.Count >= MaxCachedResults) f.Results.Clear(); // crude, but bounded: a page asks for a handful
        f.Results[key] = table;
        return table;
    }

    private const int MaxCachedResults = 200;

    public static async Task<IReadOnlyList<Member>> MembersAsync(ReportDef report, InsightFacts f, TandemDb db, InsightQuery q,
        IReadOnlyList<string> keys, string cell, CancellationToken ct)
    {
        var slice = await SliceFor(report, f, db, q, ct);
        return report.Members(f, slice, q, keys, cell).ToList();
    }

    /// <summary>Attribution splits by touches, not by the deal, so its <c>by</c> is read off each touch instead.</summary>
    private static async Task<Slices> SliceFor(ReportDef report, InsightFacts f, TandemDb db, InsightQuery q, CancellationToken ct)
    {
        var touchSplit = report.Name is AttributionReport.Name or AttributionReport.CompareName;
        var cohort = q.CohortPeriod;
        var person = report.Subject == Subject.Person || report.Name == ReasonsReport.Name
            ? await Slice.ResolveAsync(f, db, q, Subject.Person, ct, ignoreBy: cohort is not null) : null;
        var opp = report.Subject == Subject.Opportunity || report.Name == ChannelsReport.Name
            ? await Slice.ResolveAsync(f, db, q, Subject.Opportunity, ct, ignoreBy: touchSplit || cohort is not null) : null;
        if (cohort is not null)
        {
            var split = Cohorts.Split(f, report.Name, q, cohort);
            if (report.Subject == Subject.Person) person = person!.SplitBy(split);
            else opp = opp!.SplitBy(split);
        }
        return new Slices(person!, opp!);
    }
}

/// <summary>The query's slice resolved for people and for opportunities (a report uses one or both).</summary>
public sealed record Slices(Slice Person, Slice Opp);
