using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

/// <summary>Builds small <see cref="DealBook"/>s in memory for the pure forecast tests.</summary>
internal sealed class DealBookBuilder
{
    private readonly List<(int Owner, DateTime? Created, DateTime? Closed, Outcome Outcome, long Amount, string Stage, List<(DateTime, string)> Moves)> _deals = [];

    public DealBookBuilder Add(DateTime? created, DateTime? closed, Outcome outcome, long amount, string stage = "Open", int owner = 1,
        params (DateTime At, string Stage)[] moves)
    {
        _deals.Add((owner, created, closed, outcome, amount, stage, [.. moves]));
        return this;
    }

    public DealBook Build()
    {
        var stages = new Labels();
        var histStart = new List<int>();
        var (at, st) = (new List<int>(), new List<int>());
        foreach (var d in _deals)
        {
            histStart.Add(at.Count);
            foreach (var (t, s) in d.Moves) { at.Add(Clock.Of(t)); st.Add(stages.Code(s)); }
        }
        histStart.Add(at.Count);
        return new DealBook
        {
            Id = [.. Enumerable.Range(1, _deals.Count)], Owner = [.. _deals.Select(d => d.Owner)], Person = new int[_deals.Count],
            Name = [.. Enumerable.Range(1, _deals.Count).Select(i => $"Deal {i}")],
            Created = [.. _deals.Select(d => Clock.Of(d.Created))],
            Closed = [.. _deals.Select(d => d.Outcome == Outcome.Open ? Clock.None : Clock.Of(d.Closed))],
            ExpectedClose = [.. _deals.Select(_ => Clock.None)], Outcome = [.. _deals.Select(d => d.Outcome)],
            Amount = [.. _deals.Select(d => d.Amount)], Currency = [.. _deals.Select(_ => "USD")],
            Stage = [.. _deals.Select(d => stages.Code(d.Stage))], Stages = stages,
            HistStart = [.. histStart], HistAt = [.. at], HistStage = [.. st],
        };
    }
}
