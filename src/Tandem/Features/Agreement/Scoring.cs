using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>The facts of one touch that scoring reads.</summary>
public readonly record struct TouchFact(DateTime At, TouchType Type, Channel Channel, int? CampaignId);

/// <summary>
/// A person's engagement score as of <see cref="At"/>, plus how much of each capped rule's allowance the current period
/// has used. The score later is <c>Score × 2^(−days since At ÷ half-life)</c>; nothing needs storing in between.
/// </summary>
public sealed class ScoreState
{
    public double Score;
    public DateTime At;
    /// <summary>Per rule (same order as the definition): the cap period last used and the points it used.</summary>
    public long[] CapPeriod;
    public int[] CapUsed;

    public ScoreState(int rules)
    {
        CapPeriod = new long[rules];
        CapUsed = new int[rules];
        Array.Fill(CapPeriod, long.MinValue);
    }

    public ScoreState Clone() => new(0) { Score = Score, At = At, CapPeriod = (long[])CapPeriod.Clone(), CapUsed = (int[])CapUsed.Clone() };
}

/// <summary>
/// Engagement scoring, pure: <see cref="Apply"/> folds one touch into a state, so the live score (updated as touches
/// arrive), the explanation on the person page and the what-if replay all run the same arithmetic in the same order
/// and agree to the bit. Touches must be folded in time order (then by id); a late touch means a rebuild from the start.
/// </summary>
public sealed class Scoring(EngagementSection engagement)
{
    /// <summary>Cap periods are counted from a Monday, so weekly caps run Monday to Sunday (UTC).</summary>
    public static readonly DateTime CapEpoch = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly ScoreRule[] _rules = engagement.Rules;
    private readonly double _halfLifeTicks = engagement.HalfLifeDays is { } h and > 0 ? h * TimeSpan.TicksPerDay : 0;

    public int RuleCount => _rules.Length;

    public ScoreState NewState() => new(_rules.Length);

    /// <summary>The score at <paramref name="at"/> (not before the state's own time).</summary>
    public double ScoreAt(ScoreState s, DateTime at) => s.Score * Decay(at.Ticks - s.At.Ticks);

    public double Decay(long ticks) => _halfLifeTicks == 0 || ticks <= 0 ? 1 : double.Exp2(-ticks / _halfLifeTicks);

    public void Apply(ScoreState s, in TouchFact t) => Apply(s, t, null);

    /// <summary>Folds one touch in; <paramref name="lines"/>, when given, receives each rule's points for explanations.</summary>
    public void Apply(ScoreState s, in TouchFact t, List<(int Rule, int Raw, int Counted)>? lines)
    {
        s.Score = ScoreAt(s, t.At);
        if (t.At > s.At) s.At = t.At;
        for (var i = 0; i < _rules.Length; i++)
        {
            var r = _rules[i];
            if ((r.Type is { } type && type != t.Type) || (r.Channel is { } ch && ch != t.Channel)
                || (r.CampaignId is { } k && k != t.CampaignId)) continue;
            var points = r.Points;
            if (r.Cap is { } cap)
            {
                var period = (t.At.Ticks - CapEpoch.Ticks) / (cap.PeriodDays * TimeSpan.TicksPerDay);
                if (s.CapPeriod[i] != period) (s.CapPeriod[i], s.CapUsed[i]) = (period, 0);
                var room = Math.Max(0, cap.Points - s.CapUsed[i]);
                points = Math.Sign(points) * Math.Min(Math.Abs(points), room);
                s.CapUsed[i] += Math.Abs(points);
            }
            s.Score += points;
            lines?.Add((i, r.Points, points));
        }
    }
}
