using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Attribution models as pure functions over one deal's touch path (docs/metrics.md, decision 0012).
/// A path is the primary person's touches, oldest first, up to the deal's creation (up to its close for full path).
/// Positions: first touch (FT), lead-creation touch (LC: the last touch at or before the person became known),
/// opportunity-creation touch (OC: the last touch at or before the deal was created), closing touch (the last of the
/// path), and the last marketing touch (the last before creation that is not a sales call or meeting or outbound).
/// </summary>
public static class Attribution
{
    public const string FirstTouch = "first-touch", LeadCreation = "lead-creation", OpportunityCreation = "opportunity-creation",
        LastTouch = "last-touch", Linear = "linear", UShaped = "u-shaped", WShaped = "w-shaped", FullPath = "full-path", TimeDecay = "time-decay";

    public static readonly string[] Models = [FirstTouch, LeadCreation, OpportunityCreation, LastTouch, Linear, UShaped, WShaped, FullPath, TimeDecay];

    public const double DefaultHalfLifeDays = 7;

    /// <summary>The touches of one path: times (seconds, <see cref="Clock"/>), types and channels, oldest first.</summary>
    public readonly ref struct Path(ReadOnlySpan<int> at, ReadOnlySpan<byte> types, ReadOnlySpan<byte> channels, int leadCreated, int oppCreated)
    {
        public readonly ReadOnlySpan<int> At = at;
        public readonly ReadOnlySpan<byte> Types = types;
        public readonly ReadOnlySpan<byte> Channels = channels;
        public readonly int LeadCreated = leadCreated;
        public readonly int OppCreated = oppCreated;
        public int Count => At.Length;
    }

    /// <summary>How far a deal's path runs: creation for every model but full path, which runs to the close.</summary>
    public static int Cutoff(string model, int created, int closed) =>
        model == FullPath ? (closed != Clock.None ? closed : int.MaxValue) : (created != Clock.None ? created : closed != Clock.None ? closed : int.MaxValue);

    /// <summary>One weight per touch, summing to 1; empty when the path is empty (the deal goes to "no touch").</summary>
    public static double[] Weights(string model, Path p, double halfLifeDays = DefaultHalfLifeDays)
    {
        var n = p.Count;
        if (n == 0) return [];
        var w = new double[n];
        switch (model)
        {
            case FirstTouch: w[0] = 1; break;
            case LeadCreation: w[Lc(p)] = 1; break;
            case OpportunityCreation: w[Oc(p)] = 1; break;
            case LastTouch: w[LastMarketing(p)] = 1; break;
            case Linear:
                Array.Fill(w, 1.0 / n);
                break;
            case UShaped: Positional(w, [(0, 0.4), (Lc(p), 0.4)], 0.2); break;
            case WShaped: Positional(w, [(0, 0.3), (Lc(p), 0.3), (Oc(p), 0.3)], 0.1); break;
            case FullPath: Positional(w, [(0, 0.225), (Lc(p), 0.225), (Oc(p), 0.225), (n - 1, 0.225)], 0.1); break;
            case TimeDecay:
            {
                var cut = p.OppCreated != Clock.None ? p.OppCreated : p.At[n - 1];
                var sum = 0.0;
                for (var i = 0; i < n; i++) sum += w[i] = Math.Pow(2, -Math.Max(0, cut - p.At[i]) / (halfLifeDays * 86_400));
                for (var i = 0; i < n; i++) w[i] /= sum;
                break;
            }
            default: throw new ArgumentException($"Unknown attribution model '{model}'.", nameof(model));
        }
        return w;
    }

    /// <summary>
    /// Position shares go to their touches (added up where positions coincide); the rest is spread evenly over the
    /// touches in no position, or over the position touches when there are no others, so the weights always sum to 1.
    /// </summary>
    private static void Positional(double[] w, (int Index, double Share)[] positions, double rest)
    {
        Span<bool> isPosition = w.Length <= 256 ? stackalloc bool[w.Length] : new bool[w.Length];
        var marked = 0;
        foreach (var (i, share) in positions)
        {
            w[i] += share;
            if (!isPosition[i]) marked++;
            isPosition[i] = true;
        }
        var others = w.Length - marked;
        var over = others > 0 ? others : marked;
        for (var i = 0; i < w.Length; i++)
            if (isPosition[i] != (others > 0)) w[i] += rest / over;
    }

    private static int LastAtOrBefore(Path p, int t, int fallback)
    {
        for (var i = p.Count - 1; i >= 0; i--)
            if (p.At[i] <= t) return i;
        return fallback;
    }

    private static int Lc(Path p) => p.LeadCreated == Clock.None ? 0 : LastAtOrBefore(p, p.LeadCreated, 0);

    private static int Oc(Path p) => p.OppCreated == Clock.None ? p.Count - 1 : LastAtOrBefore(p, p.OppCreated, 0);

    private static int LastMarketing(Path p)
    {
        var oc = Oc(p);
        for (var i = oc; i >= 0; i--)
            if (!IsSales(p.Types[i], p.Channels[i])) return i;
        return oc;
    }

    /// <summary>Sales' own activity: calls, meetings and anything outbound.</summary>
    public static bool IsSales(byte type, byte channel) =>
        (TouchType)type is TouchType.Call or TouchType.Meeting || channel == Outbound;

    // Seeded channels come first and rows are never deleted, so a seeded channel has the same code in every database.
    private static readonly byte Outbound = Channels.ChannelSet.Default.Code(Channel.Outbound);

    /// <summary>
    /// Splits an amount in minor units by the weights so the parts add up to it exactly: each part is rounded down,
    /// and the units left over go one each to the largest fractional remainders (ties to the earlier touch).
    /// </summary>
    public static long[] Split(long amount, IReadOnlyList<double> weights)
    {
        var n = weights.Count;
        var parts = new long[n];
        if (n == 0) return parts;
        var sign = amount < 0 ? -1 : 1;
        var total = Math.Abs(amount);
        var sumW = 0.0;
        for (var i = 0; i < n; i++) sumW += weights[i];
        var fractions = new double[n];
        long given = 0;
        for (var i = 0; i < n; i++)
        {
            var exact = sumW > 0 ? total * (weights[i] / sumW) : (double)total / n;
            parts[i] = Math.Min(total - given, (long)Math.Floor(exact));
            given += parts[i];
            fractions[i] = exact - Math.Floor(exact);
        }
        var left = total - given;
        if (left >= n) // only when the weights do not sum to 1: whole rounds first
        {
            for (var i = 0; i < n; i++) parts[i] += left / n;
            left %= n;
        }
        if (left > 0)
        {
            // The cents go to the `left` largest remainders, ties to the earlier touch. Without sorting (this runs per
            // deal and model): find the left-th largest remainder, then give one to every remainder above it, and to
            // the earliest ones equal to it until the cents run out.
            Span<double> copy = n <= 512 ? stackalloc double[n] : new double[n];
            for (var i = 0; i < n; i++) copy[i] = -fractions[i];
            var threshold = -InsightMath.Select(copy, (int)left - 1);
            for (var i = 0; i < n && left > 0; i++)
                if (fractions[i] > threshold) { parts[i]++; left--; }
            for (var i = 0; i < n && left > 0; i++)
                if (fractions[i] == threshold) { parts[i]++; left--; }
        }
        for (var i = 0; i < n; i++) parts[i] *= sign;
        return parts;
    }
}
