using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Features.Demo;

/// <summary>The rows for one slice of people, written in one transaction.</summary>
internal sealed class DemoChunk
{
    public List<Person> People { get; } = [];
    public List<StageChange> StageChanges { get; } = [];
    public List<Opportunity> Opportunities { get; } = [];
    public List<OpportunityStageChange> OpportunityChanges { get; } = [];
    public List<TouchRow> Touches { get; } = [];
    public List<Agreement.LeadScore> Scores { get; } = [];
    public List<Handoffs.Handoff> Handoffs { get; } = [];
    public List<Handoffs.HandoffAttempt> HandoffAttempts { get; } = [];
    public List<Handoffs.SlaBreach> SlaBreaches { get; } = [];
}

/// <summary>What one demo run stored.</summary>
public sealed record DemoCounts(int Users, int Teams, int Accounts, int Campaigns, int People, long StageChanges,
    int Opportunities, long OpportunityStageChanges, long Touches)
{
    internal DemoCounts Add(DemoChunk c) => this with
    {
        People = People + c.People.Count, StageChanges = StageChanges + c.StageChanges.Count,
        Opportunities = Opportunities + c.Opportunities.Count, OpportunityStageChanges = OpportunityStageChanges + c.OpportunityChanges.Count,
        Touches = Touches + c.Touches.Count,
    };
}

/// <summary>A small, fast, seedable generator whose sequence is fixed by this code, not by the runtime version
/// (System.Random's seeded algorithm is not a documented contract). SplitMix64.</summary>
internal struct DemoRandom(ulong seed)
{
    private ulong _state = seed;

    public static DemoRandom For(int seed, long index) =>
        new(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)index + 1) * 0xBF58476D1CE4E5B9UL));

    public ulong NextULong()
    {
        var z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double Next() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public int Next(int max) => (int)(Next() * max);

    public double Between(double min, double max) => min + Next() * (max - min);

    public bool Chance(double p) => Next() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Skewed towards <paramref name="min"/>: most lags are short, a few are long.</summary>
    public double Lag(double min, double max) => min + (max - min) * Math.Pow(Next(), 2);
}
