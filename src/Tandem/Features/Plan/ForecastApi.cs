using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Plan;

/// <summary>/api/forecast: expected bookings with P10/P50/P90 and P(hit), and the backtest of that forecast.</summary>
public static class ForecastApi
{
    public const int MaxRuns = 100_000;

    public static RouteGroupBuilder MapForecastApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/forecast").WithTags("Plan");
        g.MapGet("/", Forecast).WithName("GetForecast")
            .WithSummary("Expected bookings at the period's end (P10/P50/P90) and the chance of hitting the approved plan's target, from a seeded Monte Carlo.")
            .RequireAuthorization(Permissions.Read);
        g.MapGet("/backtest", BacktestRun).WithName("GetForecastBacktest")
            .WithSummary("The forecast frozen at each week of past quarters and scored against what was booked: WAPE, bias, share within ±10 %, with two baselines.")
            .RequireAuthorization(Permissions.Read);
        return api;
    }

    private static async Task<Results<Ok<ForecastReport>, ValidationProblem>> Forecast(TandemDb db, IOptions<PlanOptions> options, string? period,
        string? currency, decimal? target, int? runs, int? seed, CancellationToken ct)
    {
        var zone = options.Value.Zone();
        var errors = new Errors();
        var p = period is null ? Period.Quarter(Periods.Today(db.UtcNow, zone)) : Period.Parse(period);
        if (p is null) errors.Add("period", $"'{period}' is not a quarter like 2027-Q1 or a year like 2027.");
        if (runs is < 1 or > MaxRuns) errors.Add("runs", $"runs is 1 to {MaxRuns:N0}.");
        if (target is <= 0) errors.Add("target", "The target must be more than zero.");
        if (target > Money.ToMajor(Money.MaxMinor)) errors.Add("target", "The target is larger than Tandem stores.");
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter))) errors.Add("currency", "The currency is a three-letter code such as EUR.");
        if (errors.Any) return errors.ToProblem();
        var book = await DealBook.LoadAsync(db, ct);
        var cur = currency?.ToUpperInvariant() ?? Forecasts.MainCurrency(book, db.UtcNow);
        if (cur is null) return Errors.Single("currency", "No deal was ever won, so there is nothing to forecast from: import opportunities first, or send 'currency'.");
        var plan = await Plans.ApprovedAsync(db, p!.Label, cur, ct);
        long? t = target is { } major ? Money.ToMinor(major) : plan?.TargetMinor;
        var planned = plan is null ? null : Forecasts.PlannedSqls(plan.Parsed(), zone);
        return TypedResults.Ok(Forecasts.Run(book, cur, p, zone, db.UtcNow, t, runs ?? 10_000, seed ?? 1, planned));
    }

    private static async Task<Results<Ok<BacktestResult>, ValidationProblem>> BacktestRun(TandemDb db, IOptions<PlanOptions> options, string? currency,
        int? quarters, CancellationToken ct)
    {
        if (quarters is < 1 or > 16) return Errors.Single("quarters", "quarters is 1 to 16.");
        var book = await DealBook.LoadAsync(db, ct);
        var cur = currency?.ToUpperInvariant() ?? Forecasts.MainCurrency(book, db.UtcNow);
        if (cur is null) return Errors.Single("currency", "No deal was ever won, so there is nothing to backtest.");
        return TypedResults.Ok(Backtest.Run(book, cur, options.Value.Zone(), db.UtcNow, quarters ?? 8));
    }
}
