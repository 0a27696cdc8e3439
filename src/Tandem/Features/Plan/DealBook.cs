using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>
/// Every opportunity with its stage history, as columns (times in <see cref="Clock"/> seconds), for the forecast, the
/// backtest and the snapshots. Read whole from the database: tens of thousands of deals take a few hundred milliseconds,
/// and <see cref="DealBooks"/> keeps the last one until an opportunity changes.
/// </summary>
public sealed class DealBook
{
    public required int[] Id { get; init; }
    /// <summary>Owner's user id, 0 when none.</summary>
    public required int[] Owner { get; init; }
    /// <summary>Person the deal is for, 0 when none.</summary>
    public required int[] Person { get; init; }
    public required string[] Name { get; init; }
    /// <summary><see cref="Clock.None"/> when the source did not say: such deals take no part in age or timing models.</summary>
    public required int[] Created { get; init; }
    /// <summary><see cref="Clock.None"/> while open.</summary>
    public required int[] Closed { get; init; }
    public required int[] ExpectedClose { get; init; }
    public required Outcome[] Outcome { get; init; }
    public required long[] Amount { get; init; }
    public required string[] Currency { get; init; }
    /// <summary>The current sales stage's code in <see cref="Stages"/>.</summary>
    public required int[] Stage { get; init; }
    public required Labels Stages { get; init; }
    /// <summary>Open-stage moves of deal i are [HistStart[i], HistStart[i+1]), oldest first.</summary>
    public required int[] HistStart { get; init; }
    public required int[] HistAt { get; init; }
    public required int[] HistStage { get; init; }

    public int Count => Id.Length;

    /// <summary>The sales stage deal <paramref name="i"/> was in at <paramref name="t"/> as far as its history records, or -1 when
    /// nothing was recorded by then (an import that only knows the final stage).</summary>
    public int StageAt(int i, int t)
    {
        var stage = -1;
        for (var h = HistStart[i]; h < HistStart[i + 1] && HistAt[h] <= t; h++) stage = HistStage[h];
        return stage;
    }

    /// <summary>Open at <paramref name="t"/> as known then: created by then and not closed by then.</summary>
    public bool OpenAt(int i, int t) => Created[i] != Clock.None && Created[i] <= t && (Closed[i] == Clock.None || Closed[i] > t);

    /// <summary>Won in [from, to) — closed as won in that span.</summary>
    public bool WonIn(int i, int from, int to) => Outcome[i] == Data.Outcome.Won && Closed[i] >= from && Closed[i] < to;

    /// <summary>The stage deal i was in at each whole week of age (<see cref="WinModel.MaxWeek"/> + 1 a deal, -1 where none was
    /// recorded yet), worked out once: the backtest asks for it at every frozen week, and walking each deal's history every
    /// time was most of its cost.</summary>
    public int StageAtAge(int i, int week) => _ageStages.Value[i * (WinModel.MaxWeek + 1) + week];

    /// <summary>The distinct stages deal i's history records, worked out once for the same reason.</summary>
    public ReadOnlySpan<int> StagesOf(int i)
    {
        var (start, stages) = _distinct.Value;
        return stages.AsSpan(start[i], start[i + 1] - start[i]);
    }

    private readonly Lazy<int[]> _ageStages;
    private readonly Lazy<(int[] Start, int[] Stages)> _distinct;

    public DealBook()
    {
        _ageStages = new(AgeStages);
        _distinct = new(DistinctStages);
    }

    private int[] AgeStages()
    {
        const int week = 7 * 86_400, width = WinModel.MaxWeek + 1;
        var result = new int[Count * width];
        for (var i = 0; i < Count; i++)
        {
            var (h, stage) = (HistStart[i], -1);
            for (var w = 0; w < width; w++)
            {
                var age = Created[i] == Clock.None ? int.MinValue : (int)Math.Min(int.MaxValue, (long)Created[i] + (long)w * week);
                for (; h < HistStart[i + 1] && HistAt[h] <= age; h++) stage = HistStage[h];
                result[i * width + w] = stage;
            }
        }
        return result;
    }

    private (int[], int[]) DistinctStages()
    {
        var start = new int[Count + 1];
        var stages = new List<int>(HistStage.Length);
        for (var i = 0; i < Count; i++)
        {
            start[i] = stages.Count;
            for (var h = HistStart[i]; h < HistStart[i + 1]; h++)
                if (stages.IndexOf(HistStage[h], start[i]) < 0) stages.Add(HistStage[h]);
        }
        start[Count] = stages.Count;
        return (start, [.. stages]);
    }

    public string StageName(int code) => code < 0 ? "(stage not recorded)" : Stages[code];

    public static async Task<DealBook> LoadAsync(TandemDb db, CancellationToken ct)
    {
        var deals = await db.Opportunities.AsNoTracking().OrderBy(o => o.Id)
            .Select(o => new { o.Id, o.OwnerId, o.PrimaryPersonId, o.Name, o.CreatedAt, o.ClosedAt, o.ExpectedCloseAt, o.Outcome, o.AmountMinor, o.Currency, o.SalesStage })
            .ToListAsync(ct);
        var moves = await db.OpportunityStageChanges.AsNoTracking().Where(c => c.Outcome == Data.Outcome.Open)
            .OrderBy(c => c.OpportunityId).ThenBy(c => c.At).ThenBy(c => c.Id)
            .Select(c => new { c.OpportunityId, c.To, c.At }).ToListAsync(ct);
        var stages = new Labels();
        var n = deals.Count;
        var histStart = new int[n + 1];
        var (histAt, histStage) = (new int[moves.Count], new int[moves.Count]);
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            while (m < moves.Count && moves[m].OpportunityId < deals[i].Id) m++; // moves of deleted deals
            histStart[i] = m;
            while (m < moves.Count && moves[m].OpportunityId == deals[i].Id)
            {
                (histAt[m], histStage[m]) = (Clock.Of(moves[m].At), stages.Code(moves[m].To));
                m++;
            }
        }
        histStart[n] = m;
        return new DealBook
        {
            Id = [.. deals.Select(d => d.Id)], Owner = [.. deals.Select(d => d.OwnerId ?? 0)], Person = [.. deals.Select(d => d.PrimaryPersonId ?? 0)],
            Name = [.. deals.Select(d => d.Name)], Created = [.. deals.Select(d => Clock.Of(d.CreatedAt))],
            Closed = [.. deals.Select(d => d.Outcome == Data.Outcome.Open ? Clock.None : Clock.Of(d.ClosedAt))],
            ExpectedClose = [.. deals.Select(d => Clock.Of(d.ExpectedCloseAt))], Outcome = [.. deals.Select(d => d.Outcome)],
            Amount = [.. deals.Select(d => d.AmountMinor)], Currency = [.. deals.Select(d => d.Currency)],
            Stage = [.. deals.Select(d => stages.Code(d.SalesStage))], Stages = stages,
            HistStart = histStart, HistAt = histAt, HistStage = histStage,
        };
    }
}
