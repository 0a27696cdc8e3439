using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Components.Agreement;

/// <summary>One version as the Agreement pages list it: who has approved its current content, by side.</summary>
public sealed record VersionRow(LeadDefinition Row, DefinitionContent Content, string CreatedBy, string? MarketingApprover, string? SalesApprover)
{
    public string Summary => PlainLanguage.Summary(Content);
}

/// <summary>A re-evaluation run with the numbers of its version and of the version it replaced.</summary>
public sealed record ReevaluationRow(Reevaluation Row, int Number, int? PreviousNumber);

public static class AgreementData
{
    /// <summary>The latest activation's re-evaluation, or null when no version was activated through approvals yet.</summary>
    public static async Task<ReevaluationRow?> LatestRunAsync(TandemDb db, CancellationToken ct)
    {
        var run = await db.Reevaluations.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (run is null) return null;
        var numbers = await db.LeadDefinitions.AsNoTracking().Where(d => d.Id == run.DefinitionId || d.Id == run.PreviousDefinitionId)
            .ToDictionaryAsync(d => d.Id, d => d.Number, ct);
        return new ReevaluationRow(run, numbers[run.DefinitionId], run.PreviousDefinitionId is { } p ? numbers.GetValueOrDefault(p) : null);
    }

    /// <summary>Every version, newest first, with the names of the approvals that count (those of its current content hash).</summary>
    public static async Task<List<VersionRow>> VersionsAsync(TandemDb db, CancellationToken ct)
    {
        var rows = await db.LeadDefinitions.AsNoTracking().OrderByDescending(d => d.Number).ToListAsync(ct);
        var reviews = (await db.DefinitionReviews.AsNoTracking().ToListAsync(ct)).ToLookup(r => r.DefinitionId);
        var userIds = reviews.SelectMany(g => g).Select(r => r.UserId).Concat(rows.Select(d => UserOf(d.CreatedBy)).OfType<int>()).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return [.. rows.Select(d =>
        {
            var state = Approvals.State(d.ContentHash, reviews[d.Id]);
            return new VersionRow(d, d.Parsed(), Name(names, UserOf(d.CreatedBy)) ?? d.CreatedBy, Name(names, state.MarketingUserId), Name(names, state.SalesUserId));
        })];
    }

    /// <summary>Versions record their author as an actor ("user:12", or "api-key:3" for an integration); people are shown by name.</summary>
    private static int? UserOf(string actor) => actor.StartsWith("user:", StringComparison.Ordinal) && int.TryParse(actor[5..], out var id) ? id : null;

    private static string? Name(Dictionary<int, string> names, int? id) => id is { } i ? names.GetValueOrDefault(i, $"user {i}") : null;

    public static string Points(int p) => p > 0 ? $"+{p}" : p.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Cap(ScoreCap? c) => c is null ? "–"
        : $"{c.Points} per {(c.PeriodDays == 1 ? "day" : c.PeriodDays == 7 ? "week" : $"{c.PeriodDays} days")}";

    public static string Band(GradeBand b) => (b.Min, b.Max) switch
    {
        (null, null) => "any points",
        ({ } lo, null) => $"{lo} or more",
        (null, { } hi) => $"{hi} or fewer",
        ({ } lo, { } hi) => $"{lo} to {hi}",
    };

    public static string HalfLife(double? days) => days is { } h ? $"{h:0.##} days" : "never (points do not fade)";

    /// <summary>"USD 12,400.00, EUR 3,000.00"; money of different currencies is never added up.</summary>
    public static string Money(IReadOnlyList<MoneyTotal> totals) => totals.Count == 0 ? "–"
        : string.Join(", ", totals.OrderBy(t => t.Currency, StringComparer.Ordinal)
            .Select(t => $"{t.Currency} {Data.Money.ToMajor(t.AmountMinor).ToString("N2", System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>A conversion rate, or a dash when nobody was in the stage before.</summary>
    public static string Rate(int reached, int from) => from == 0 ? "–"
        : (100.0 * reached / from).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " %";

    /// <summary>A what-if conversion: "not handed over" when none of the set really reached sales (a structural zero, not a
    /// failure), a dash when nobody was in the stage before, else the rate.</summary>
    public static string Conversion(WhatIfSet set, int reached, int from) =>
        set.People > 0 && set.HandedOver == 0 ? "not handed over" : Rate(reached, from);
}
