using System.Globalization;

namespace Tandem.Features.Plan;

/// <summary>
/// Turns a planner's inputs and the measured funnel history into a plan's content, pure. Every refusal names the field and,
/// for a rate history cannot give, the line, the stage, the sample and the override that fixes it; nothing here divides by
/// zero or yields NaN (decision 0046).
/// </summary>
public static class PlanBuilder
{
    public static readonly string[] RateKeys = ["inquiry-mql", "mql-sal", "sal-sql", "sql-won"];
    public const string MeanWon = "mean-won", CostPerSql = "cost-per-sql";
    public const double MaxBuffer = 2;
    /// <summary>Below this many people in a channel's cohort (or won deals for the mean amount), the channel uses the rate of
    /// all lines together: four SQLs say little about a win rate.</summary>
    public const int MinSample = 30, MinWonDeals = 5;

    /// <summary>Checks the inputs that do not need history; the errors are (field, message).</summary>
    public static List<(string Field, string Message)> CheckInputs(PlanInputs i, DateOnly today)
    {
        var errors = new List<(string, string)>();
        if (i.TargetMinor <= 0) errors.Add(("target", "The target must be more than zero."));
        if (i.TargetMinor > Data.Money.MaxMinor) errors.Add(("target", "The target is larger than Tandem stores (10^13 in major units)."));
        if (!double.IsFinite(i.Buffer) || i.Buffer < 0 || i.Buffer > MaxBuffer)
            errors.Add(("buffer", $"The buffer is a fraction from 0 to {MaxBuffer} (0.1 plans 10 % above the target)."));
        if (Period.Parse(i.Period) is not { } p) errors.Add(("period", $"'{i.Period}' is not a quarter like 2027-Q1 or a year like 2027."));
        else if (p.End <= today) errors.Add(("period", $"{p.Label} is over; a plan is for the current or a future period."));
        if (i.Currency is not { Length: 3 } c || !c.All(char.IsAsciiLetter)) errors.Add(("currency", "The currency is a three-letter code such as EUR."));
        if (!PlanSplit.Fields.Contains(i.Split))
            errors.Add(("split", $"'{i.Split}' is not a split; use none (one line) or one line per {string.Join(", ", PlanSplit.Fields.Skip(1))}."));
        if (i.WindowDays is < 30 or > 1095) errors.Add(("windowDays", "The history window is 30 to 1,095 days."));
        if (i.Shares is { Count: > 0 } shares)
        {
            if (shares.Values.Any(v => !double.IsFinite(v) || v < 0)) errors.Add(("shares", "Each share is a fraction from 0 to 1."));
            else if (Math.Abs(shares.Values.Sum() - 1) > 0.001)
                errors.Add(("shares", $"The shares add up to {shares.Values.Sum():0.###}; they must add up to 1."));
        }
        var overrides = i.Overrides ?? [];
        for (var n = 0; n < overrides.Count; n++)
        {
            var o = overrides[n];
            var f = $"overrides[{n}]";
            if (o is null) { errors.Add((f, "An override is {line, what, value, reason}.")); continue; }
            var isRate = RateKeys.Contains(o.What);
            if (!isRate && o.What is not (MeanWon or CostPerSql))
                errors.Add(($"{f}.what", $"'{o.What}' is not a number a plan uses; use one of {string.Join(", ", RateKeys)}, {MeanWon} or {CostPerSql}."));
            else if (!double.IsFinite(o.Value) || (isRate ? o.Value is <= 0 or > 1 : o.What == MeanWon ? o.Value <= 0 : o.Value < 0))
                errors.Add(($"{f}.value", isRate ? "A conversion rate is a fraction above 0 and at most 1." : "An amount is in minor units (cents), more than zero."));
            if (string.IsNullOrWhiteSpace(o.Reason)) errors.Add(($"{f}.reason", "Say why: an override is shown with its reason."));
            if (string.IsNullOrWhiteSpace(o.Line)) errors.Add(($"{f}.line", "Name the line: a channel, or All."));
        }
        return errors;
    }

    /// <summary>The plan's content, or the reasons it cannot be made. <paramref name="history"/> is measured in the plan's
    /// currency, per channel when the split is by channel.</summary>
    public static (PlanContent? Content, List<(string Field, string Message)> Errors) Build(PlanInputs i, FunnelHistory history, DateOnly today)
    {
        var errors = CheckInputs(i, today);
        if (errors.Count > 0) return (null, errors);
        var period = Period.Parse(i.Period)!;
        var overrides = i.Overrides ?? [];
        var known = history.Lines.Select(l => l.Line).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var n = 0; n < overrides.Count; n++)
            if (!known.Contains(overrides[n].Line))
                errors.Add(($"overrides[{n}].line", $"'{overrides[n].Line}' is not a line of this plan; its lines are {string.Join(", ", known.Order())}."));
        if (i.Shares is { Count: > 0 })
            foreach (var name in i.Shares.Keys.Where(k => !known.Contains(k)))
                errors.Add(("shares", $"'{name}' is not a line of this plan; its lines are {string.Join(", ", known.Order())}."));
        if (errors.Count > 0) return (null, errors);

        var lines = new List<PlanLineContent>();
        foreach (var h in history.Lines)
        {
            var share = i.Shares is { Count: > 0 } s ? s.FirstOrDefault(kv => kv.Key.Equals(h.Line, StringComparison.OrdinalIgnoreCase)).Value
                : i.Split == "none" ? 1 : h.RevenueShare;
            if (share <= 0) continue; // a channel that brought no revenue gets no target
            var mine = overrides.Where(o => o.Line.Equals(h.Line, StringComparison.OrdinalIgnoreCase)).ToList();
            var rates = new PlanRate[PlanStages.Won];
            for (var k = 0; k < PlanStages.Won; k++)
            {
                var e = h.Rates[k];
                var o = mine.LastOrDefault(x => x.What == RateKeys[k]);
                var pooled = history.Pooled?.Rates[k] is { Rate: > 0 } p && (e.Sample < MinSample || e.Rate <= 0) ? p : null;
                var basis = o is not null ? "override" : pooled is not null ? $"all lines together ({h.Line} alone: {e.Converted:N0} of {e.Sample:N0})" : "own history";
                var (value, source) = pooled is null ? (e.Rate, e) : (pooled.Rate, pooled);
                rates[k] = new PlanRate(RateKeys[k], PlanStages.Transition(k), o?.Value ?? value, value, source.Sample, source.Converted,
                    source.HorizonDays, o?.Reason, basis);
                if (rates[k].Value <= 0)
                    errors.Add(($"rates.{h.Line}.{RateKeys[k]}", e.Sample == 0
                        ? $"{h.Line}: {PlanStages.Transition(k)} has no history: no one reached {PlanStages.Names[k]} from {Day(e.CohortFrom)} to {Day(e.CohortTo)}. {Fix(h.Line, RateKeys[k], "0.25")}"
                        : $"{h.Line}: {PlanStages.Transition(k)} is 0: none of {e.Sample:N0} who reached {PlanStages.Names[k]} from {Day(e.CohortFrom)} to {Day(e.CohortTo)} converted within {e.HorizonDays} days. {Fix(h.Line, RateKeys[k], "0.25")}"));
            }
            var wonOverride = mine.LastOrDefault(x => x.What == MeanWon);
            var meanWon = wonOverride?.Value
                ?? (h.WonDeals < MinWonDeals && history.Pooled?.MeanWon is { } all ? all : h.MeanWon) ?? 0;
            if (meanWon <= 0)
                errors.Add(($"rates.{h.Line}.{MeanWon}", $"{h.Line}: no deal was won in {history.Currency} in the last {history.WindowDays} days, so the mean won amount is unknown. {Fix(h.Line, MeanWon, "2500000")}"));
            var costOverride = mine.LastOrDefault(x => x.What == CostPerSql);
            lines.Add(new PlanLineContent(h.Line, share, meanWon, h.WonDeals, wonOverride?.Reason, rates, costOverride?.Value ?? h.CostPerSql,
                costOverride?.Reason, null, []));
        }
        if (lines.Count == 0)
            errors.Add(("split", $"No line won revenue in {history.Currency} in the last {history.WindowDays} days, so there is nothing to split the target by. Give shares, or plan with split 'none' and override mean-won."));
        if (errors.Count > 0) return (null, errors);

        // Shares of the lines kept add up to 1 (a dropped line had none).
        var sum = lines.Sum(l => l.Share);
        lines = [.. lines.Select(l => l with { Share = l.Share / sum })];
        var inputs = lines.Select(l => new PlanLine(l.Line, l.Share, l.MeanWon, [.. l.Rates.Select(r => r.Value)], l.CostPerSql)).ToList();
        var grid = PlanMath.Walk(i.TargetMinor, i.Buffer, inputs, history.Lags, period);
        var result = lines.Select((l, n) => l with { Weekly = grid.Targets[n], Budget = PlanMath.Budget(grid, n, inputs[n]) }).ToArray();
        return (new PlanContent(i with { Currency = i.Currency.ToUpperInvariant(), Period = period.Label }, history.AsOf, period.Start, period.End,
            grid.FirstWeek, history.Lags, history.LagSamples, result), errors);
    }

    private static string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Fix(string line, string what, string example) =>
        $"Override it with a reason, for example {{\"line\": \"{line}\", \"what\": \"{what}\", \"value\": {example}, \"reason\": \"…\"}} (tandem plan draft --override {line}:{what}={example}:\"reason\").";
}
