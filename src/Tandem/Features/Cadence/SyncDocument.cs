namespace Tandem.Features.Cadence;

/// <summary>
/// The weekly sync record (schema <see cref="Schema"/>): everything the meeting looks at, in the agenda's order. Page, PDF
/// and email are all drawn from this one document; it is stored as JSON with its SHA-256 and never changed afterwards.
/// </summary>
public sealed record SyncDocument(string Schema, string Week, DateOnly From, DateOnly To, string TimeZone, string? Currency, bool Empty,
    string? EmptyNote, ScorecardPart Scorecard, PacingPart? Pacing, SlaPart Sla, RejectionsPart Rejections, IReadOnlyList<LeadStory> Progressed,
    int ProgressedTotal, IReadOnlyList<StalledLead> Stalled, int StalledTotal, IReadOnlyList<NoteItem> Heard, IReadOnlyList<WinItem> Wins,
    IReadOnlyList<NoteItem> Reviews, ActionsPart Actions)
{
    public const string Schema1 = "tandem.sync/1";
}

/// <summary>What the meeting adds to a week: questions heard and other notes, win/loss reviews, and action items.</summary>
public sealed record MeetingPart(IReadOnlyList<NoteItem> Heard, IReadOnlyList<NoteItem> Reviews, ActionsPart Actions);

public sealed record ScorecardPart(int? Version, IReadOnlyList<KpiRow> Kpis);

/// <param name="Trend">The value in each of the eight weeks ending with this one, oldest first (null: no data that week).</param>
/// <param name="Records">The records behind <see cref="Value"/> (ids of <see cref="RecordKind"/>), at most <see cref="SyncBuilder.MaxRecords"/>.</param>
public sealed record KpiRow(string Key, string Name, string Metric, string Owner, string Kind, string Timing, string Unit, double? Value,
    double? Target, string TargetSource, string Status, string? Broken, IReadOnlyList<double?> Trend, string RecordKind, IReadOnlyList<int> Records,
    int RecordsTotal);

public sealed record PacingPart(string Period, int PlanNumber, IReadOnlyList<PaceRow> Stages);

public sealed record PaceRow(string Stage, double WeekPlan, int WeekActual, double PlanToDate, int ActualToDate, string Status);

public sealed record SlaPart(double? Compliance, int Leads, int Met, int Breached, int Pending, IReadOnlyList<SlaRepRow> ByRep,
    IReadOnlyList<BreachRow> Breaches, IReadOnlyList<int> Records);

public sealed record SlaRepRow(string Rep, int Met, int Breached, double? Compliance);

public sealed record BreachRow(string Rep, string Clause, int Count);

public sealed record RejectionsPart(int Total, IReadOnlyList<RejectionCount> Counts, IReadOnlyList<RejectionExample> Examples);

public sealed record RejectionCount(string Reason, string Channel, int Count);

public sealed record RejectionExample(int PersonId, string Person, string Reason, string? Note);

public sealed record LeadStory(int PersonId, string Person, string? Account, DateTime SqlAt, IReadOnlyList<string> Touches);

public sealed record StalledLead(int PersonId, string Person, string Rep, DateTime AcceptedAt, int BusinessDaysUntouched);

public sealed record NoteItem(int Id, string Kind, string Text, string Author, DateTime At, string? About, string? Outcome = null,
    string? Reasons = null, string? Criteria = null, string? Competitor = null);

public sealed record WinItem(int OpportunityId, string Name, string? Account, double Amount, string Currency, string Owner, IReadOnlyList<string> MarketingTouches);

public sealed record ActionsPart(IReadOnlyList<ActionRow> New, IReadOnlyList<ActionRow> Done, IReadOnlyList<ActionRow> CarriedOver);

/// <param name="AgeDays">Days from when it was raised to the end of the record's week.</param>
public sealed record ActionRow(int Id, string Title, string Owner, DateOnly? DueOn, string Status, string RaisedWeek, int AgeDays);
