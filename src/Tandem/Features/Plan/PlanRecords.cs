using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>One page of the people (Inquiry–SQL) or won deals behind a pacing number, for the API and the records page.</summary>
public static class PlanRecords
{
    /// <summary>The days a pacing number covers: the whole period, or one of its weeks (clipped to the period).</summary>
    public static (DateOnly From, DateOnly To) Days(PlanContent content, DateOnly? week) => week is { } monday
        ? (monday < content.PeriodStart ? content.PeriodStart : monday, monday.AddDays(7) > content.PeriodEnd ? content.PeriodEnd : monday.AddDays(7))
        : (content.PeriodStart, content.PeriodEnd);

    public static async Task<(int Total, IReadOnlyList<DrillItem> Items)> PageAsync(TandemDb db, InsightFacts facts, PlanContent content,
        string line, int stage, DateOnly from, DateOnly to, NodaTime.DateTimeZone zone, int skip, int take, CancellationToken ct)
    {
        var subject = stage == PlanStages.Won ? Subject.Opportunity : Subject.Person;
        var members = Pacing.Records(content, facts, line, stage, Periods.Utc(from, zone), Periods.Utc(to, zone)).Select(i => new Member(subject, i)).ToList();
        return (members.Count, await InsightApi.DescribeAsync(db, facts, members.Skip(skip).Take(take).ToList(), ct));
    }
}
