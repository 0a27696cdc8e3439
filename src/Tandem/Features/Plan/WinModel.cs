using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>
/// The chance that a deal open at <c>t</c> is won within the next <c>h</c> seconds, from the company's own history as known at
/// <c>t</c>: among past deals that were open at the same age (in weeks) and whose next <c>h</c> seconds are over by <c>t</c>, the
/// share won in them. Split by the sales stage the deal was in at that age where the history records one, shrunk towards the
/// age-only rate when a cell is thin, which is itself shrunk towards the overall rate (decision 0045). Pure: built from a
/// <see cref="DealBook"/>, reading nothing recorded after <c>t</c>, so the backtest can freeze it at any past week.
/// </summary>
public sealed class WinModel
{
    public const int MaxWeek = 52;
    /// <summary>Pseudo-count of the shrinkage: a cell with this many deals weighs as much as its parent's rate.</summary>
    public const double Prior = 5;
    private const int Week = 7 * 86_400;

    private readonly double[] _byAge = new double[MaxWeek + 1];
    /// <summary>By week of age and stage code + 1 (0 = not recorded); NaN where no deal was sampled.</summary>
    private readonly double[] _byStage;
    private readonly int _stages;
    private readonly int[] _samplesByAge = new int[MaxWeek + 1];

    public int At { get; }
    public int Horizon { get; }
    /// <summary>Share of the sampled deal-weeks won within the horizon, over all ages.</summary>
    public double Overall { get; }
    /// <summary>Deal-weeks the model learned from.</summary>
    public long Samples { get; }
    /// <summary>Of the deals sampled, the share that was won eventually but only after the horizon: the slip.</summary>
    public double Slip { get; }

    private WinModel(int at, int horizon, double overall, long samples, double slip, int stages)
    {
        (At, Horizon, Overall, Samples, Slip, _stages) = (at, horizon, overall, samples, slip, stages + 1);
        _byStage = new double[(MaxWeek + 1) * _stages];
    }

    public static int WeekOfAge(int ageSeconds) => Math.Clamp(ageSeconds / Week, 0, MaxWeek);

    public static WinModel Build(DealBook book, string currency, int at, int horizon)
    {
        var n = new long[MaxWeek + 1];
        var w = new long[MaxWeek + 1];
        var stages = book.Stages.Count + 1; // + 1: "not recorded" is cell 0
        var (cellN, cellW) = (new long[(MaxWeek + 1) * stages], new long[(MaxWeek + 1) * stages]);
        long later = 0, ever = 0;
        for (var i = 0; i < book.Count; i++)
        {
            if (book.Created[i] == Clock.None || book.Currency[i] != currency) continue;
            for (var week = 0; week <= MaxWeek; week++)
            {
                var age = book.Created[i] + week * Week;
                if ((long)age + horizon > at) break; // this deal's outcome within the horizon is not known yet at `at`
                if (!book.OpenAt(i, age)) break;
                var end = age + horizon;
                var won = book.WonIn(i, age, end + 1);
                var wonLater = !won && book.Outcome[i] == Data.Outcome.Won && book.Closed[i] <= at;
                n[week]++;
                if (won) { w[week]++; ever++; }
                if (wonLater) { later++; ever++; }
                var cell = week * stages + book.StageAtAge(i, week) + 1;
                cellN[cell]++;
                if (won) cellW[cell]++;
            }
        }
        var total = n.Sum();
        var overall = total == 0 ? 0 : (double)w.Sum() / total;
        var model = new WinModel(at, horizon, overall, total, ever == 0 ? 0 : (double)later / ever, book.Stages.Count);
        for (var week = 0; week <= MaxWeek; week++)
        {
            model._byAge[week] = (w[week] + Prior * overall) / (n[week] + Prior);
            model._samplesByAge[week] = (int)Math.Min(n[week], int.MaxValue);
        }
        for (var cell = 0; cell < cellN.Length; cell++)
        {
            var week = cell / stages;
            model._byStage[cell] = cell % stages == 0 || cellN[cell] == 0 ? double.NaN
                : (cellW[cell] + Prior * model._byAge[week]) / (cellN[cell] + Prior);
        }
        return model;
    }

    /// <summary>The chance that deal <paramref name="i"/>, open at <see cref="At"/>, is won within <see cref="Horizon"/>.</summary>
    public double Probability(DealBook book, int i)
    {
        var week = WeekOfAge(At - book.Created[i]);
        var stage = book.StageAt(i, At);
        var p = stage < 0 || stage + 1 >= _stages ? double.NaN : _byStage[week * _stages + stage + 1];
        return double.IsNaN(p) ? _byAge[week] : p;
    }

    public int SamplesAtWeek(int week) => _samplesByAge[Math.Clamp(week, 0, MaxWeek)];
}
