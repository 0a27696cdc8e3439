using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Agreement;

/// <summary>
/// The what-if's view of the funnel history: the one in-memory copy Insight keeps (<see cref="InsightFacts"/>, decision
/// 0042), read as each person's touches and stage changes in time order, with the fields fit rules look at. It holds no
/// copy of touches or stages; a replay reads them from the shared columns into a per-thread buffer. Made once per
/// snapshot; the fit subjects of a newer snapshot are copied from an older view and redone only for the people who changed.
/// </summary>
public sealed class Timeline : IWhatIfHistory
{
    private const string Key = "what-if timeline";
    private readonly InsightFacts _f;
    private readonly int[] _wonStart;
    private readonly (DateTime ClosedAt, long AmountMinor, string Currency)[] _won;
    [ThreadStatic] private static TouchFact[]? _touchBuffer;
    [ThreadStatic] private static StageFact[]? _stageBuffer;

    private Timeline(InsightFacts f, Timeline? older)
    {
        _f = f;
        var n = f.PeopleCount;
        var changed = older is null ? null : f.ChangedSince(older._f);
        if (changed is null || !ReferenceEquals(older!._f.Accounts, f.Accounts)) Subjects = BuildSubjects(f, Enumerable.Range(0, n), new FitSubject[n]);
        else
        {
            var subjects = new FitSubject[n];
            Array.Copy(older.Subjects, subjects, Math.Min(n, older.Subjects.Length));
            Subjects = BuildSubjects(f, changed, subjects);
        }
        var last = long.MinValue;
        for (var i = 0; i < n; i++)
            for (var k = f.TouchStart[i]; k < f.TouchEnd[i]; k++)
                last = Math.Max(last, (long)f.TouchAt[k] * TimeSpan.TicksPerSecond + f.TouchSub[k]);
        LastTouchAt = last == long.MinValue ? DateTime.MinValue : Clock.Exact(0, 0).AddTicks(last);
        (_wonStart, _won) = Won(f);
    }

    /// <summary>The view of a snapshot, made on first use and kept with it.</summary>
    public static Timeline Of(InsightFacts f, Timeline? older = null) => (Timeline)f.Extras.GetOrAdd(Key, _ => new Timeline(f, older));

    /// <summary>A view over a fresh load of the database (tests and benchmarks; the server keeps one history in <see cref="InsightStore"/>).</summary>
    public static async Task<Timeline> LoadAsync(TandemDb db, CancellationToken ct) => Of(await InsightLoader.LoadAsync(db, new Personas(), ct));

    public InsightFacts Facts => _f;
    public int Count => _f.PeopleCount;
    public int[] PersonIds => _f.PersonId;
    public FitSubject[] Subjects { get; }

    /// <summary>The latest touch time; replays clamp MQL times to "now", which binds only for touches after it.</summary>
    public DateTime LastTouchAt { get; }

    /// <summary>Person i's touches, oldest first. Valid until the next call on the same thread.</summary>
    public ReadOnlySpan<TouchFact> TouchesOf(int i)
    {
        var (start, end) = (_f.TouchStart[i], _f.TouchEnd[i]);
        var buffer = Buffer(ref _touchBuffer, end - start);
        for (var k = start; k < end; k++)
        {
            var campaign = _f.TouchCampaign[k];
            buffer[k - start] = new TouchFact(Clock.Exact(_f.TouchAt[k], _f.TouchSub[k]), (TouchType)_f.TouchType[k], _f.ChannelOf(_f.TouchChannel[k]),
                campaign < 0 ? null : _f.Campaigns[campaign].Id);
        }
        return buffer.AsSpan(0, end - start);
    }

    /// <summary>Person i's stage changes, oldest first. Valid until the next call on the same thread.</summary>
    public ReadOnlySpan<StageFact> StagesOf(int i)
    {
        var (start, end) = (_f.StageStart[i], _f.StageEnd[i]);
        var buffer = Buffer(ref _stageBuffer, end - start);
        for (var k = start; k < end; k++)
            buffer[k - start] = new StageFact(new DateTime(_f.StageTicks[k], DateTimeKind.Utc), _f.StageTo[k], _f.StageByDefinition[k],
                _f.StageReengage[k] == 0 ? null : new DateTime(_f.StageReengage[k], DateTimeKind.Utc));
        return buffer.AsSpan(0, end - start);
    }

    public ReadOnlySpan<(DateTime ClosedAt, long AmountMinor, string Currency)> WonOf(int i) => _won.AsSpan(_wonStart[i], _wonStart[i + 1] - _wonStart[i]);

    private static T[] Buffer<T>(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[Math.Max(length, 256)];
        return buffer;
    }

    private static FitSubject[] BuildSubjects(InsightFacts f, IEnumerable<int> positions, FitSubject[] into)
    {
        foreach (var i in positions)
        {
            var a = f.PersonAccount[i] is var ai and >= 0 ? f.Accounts[ai] : null;
            // Only the domain of the email matters to fit; "x@domain" keeps FitSubject's shape with the interned domain.
            into[i] = new FitSubject("x@" + f.Domains[f.PersonDomain[i]], f.PersonTitle[i] < 0 ? null : f.Titles[f.PersonTitle[i]],
                f.PersonOwnChannel[i] == InsightFacts.NoChannel ? null : f.ChannelOf(f.PersonOwnChannel[i]),
                a?.Industry, a?.Employees, a?.AnnualRevenue, a?.Country, a?.Region, a?.Status);
        }
        return into;
    }

    /// <summary>Won deals by person (primary contact), in close order: what the what-if counts as revenue.</summary>
    private static (int[], (DateTime, long, string)[]) Won(InsightFacts f)
    {
        var deals = Enumerable.Range(0, f.OppCount)
            .Where(j => f.OppOutcome[j] == Outcome.Won && f.OppPerson[j] >= 0 && f.OppClosed[j] != Clock.None)
            .OrderBy(j => f.OppPerson[j]).ThenBy(j => f.OppClosed[j]).ToList();
        var start = new int[f.PeopleCount + 1];
        foreach (var j in deals) start[f.OppPerson[j] + 1]++;
        for (var i = 0; i < f.PeopleCount; i++) start[i + 1] += start[i];
        return (start, [.. deals.Select(j => (Clock.ToDate(f.OppClosed[j]), f.OppAmount[j], f.Currencies[f.OppCurrency[j]]))]);
    }
}
