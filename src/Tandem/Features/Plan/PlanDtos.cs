using Tandem.Features.Agreement;

namespace Tandem.Features.Plan;

/// <summary>A plan draft as sent: <see cref="Target"/> in major units (1250000.00 EUR), <see cref="Buffer"/> a fraction (0.1 = 10 %
/// above the target), <see cref="Split"/> none or channel, overrides of measured numbers each with a reason.</summary>
public sealed record PlanDraftInput(string? Period, string? Currency, decimal? Target, double? Buffer, string? Split, int? WindowDays,
    List<RateOverride>? Overrides, Dictionary<string, double>? Shares, string? Note, int? BasedOn, int? Version)
{
    /// <summary>Each input as given, else as the plan drafted from had it, else the default (the API and the CLI share this).</summary>
    public PlanInputs Resolve(PlanInputs? old, string currency, string thisQuarter) =>
        new(Period ?? old?.Period ?? thisQuarter, currency, Target is { } major ? Data.Money.ToMinor(major) : old!.TargetMinor,
            Buffer ?? old?.Buffer ?? 0, Split ?? old?.Split ?? PlanSplit.None, WindowDays ?? old?.WindowDays ?? 365,
            Overrides ?? old?.Overrides, Shares ?? old?.Shares);
}

public sealed record PlanSummaryDto(int Number, PlanStatus Status, string Period, string Currency, decimal Target, string Summary, string? Note,
    string ContentHash, int? BasedOn, string CreatedBy, DateTime CreatedAt, DateTime? ApprovedAt, DateTime? SupersededAt);

/// <summary>One plan version in full. <see cref="RoundTrip"/> is the revenue the weekly targets give back when run forward
/// through the same rates and lags (target × (1 + buffer), within rounding).</summary>
public sealed record PlanDto(int Number, PlanStatus Status, string Period, string Currency, decimal Target, string Summary, string? Note,
    string ContentHash, int? BasedOn, string CreatedBy, DateTime CreatedAt, DateTime? ApprovedAt, DateTime? SupersededAt, int Version,
    bool MarketingApproved, bool SalesApproved, decimal RoundTrip, PlanContent Content, IReadOnlyList<ReviewDto> Reviews);

public sealed record PlanReviewResult(int Number, PlanStatus Status, bool MarketingApproved, bool SalesApproved, bool Approved);
