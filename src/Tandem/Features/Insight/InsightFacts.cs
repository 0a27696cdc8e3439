using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// The funnel as compact columns in memory: one slot per person, opportunity and touch, times as whole seconds
/// since 2000 (<see cref="Clock"/>). Reports are scans over these arrays; nothing here is a live entity.
/// Built by <see cref="InsightLoader"/>, then followed through the change feed by <see cref="InsightUpdate"/>: each
/// change makes a new snapshot that shares the big touch arrays with the last one (decisions 0010, 0042). A snapshot is
/// never modified once published; readers hold one for the length of a report.
/// </summary>
public sealed class InsightFacts
{
    /// <summary>Main funnel stages by rank: Inquiry, MQL, SAL, SQL, Customer.</summary>
    public const int Stages = 5;
    public const int SqlRank = 3, CustomerRank = 4;

    public required DateTime BuiltAt { get; init; }
    /// <summary>The change-feed position this snapshot includes: every change committed up to it.</summary>
    public required long Position { get; init; }

    // People, by position (in the order Tandem learned of them: by id at a full load, then appended as they arrive).
    public required int[] PersonId { get; init; }
    /// <summary>Person id → position, or -1 (ids are dense, so an array beats a dictionary).</summary>
    public required int[] PositionOfId { get; init; }
    public required int[] PersonCreated { get; init; }
    /// <summary>[stage rank][person]: first time the person reached this stage or any stage after it; <see cref="Clock.None"/> if never.</summary>
    public required int[][] Reached { get; init; }
    /// <summary>Channel as its code in <see cref="Channels"/>; <see cref="NoChannel"/> when unknown.</summary>
    public required byte[] PersonChannel { get; init; }
    /// <summary>Campaign position or -1.</summary>
    public required int[] PersonCampaign { get; init; }
    /// <summary>Type of the person's first touch (the "source"), or <see cref="NoChannel"/>.</summary>
    public required byte[] PersonSource { get; init; }
    public required int[] PersonOwner { get; init; }
    /// <summary>Account position or -1.</summary>
    public required int[] PersonAccount { get; init; }
    public required int[] PersonPersona { get; init; }
    /// <summary>Code in <see cref="Versions"/>: the lead definition version of the person's first MQL ("none" when not "definition:vN").</summary>
    public required int[] PersonVersion { get; init; }
    /// <summary>First sales rejection (cause "sla:reject"): when, and the reason's code in <see cref="Reasons"/>.</summary>
    public required int[] RejectedAt { get; init; }
    public required int[] RejectReason { get; init; }
    public required int[] DisqualifiedAt { get; init; }
    public required int[] DisqualifyReason { get; init; }

    // Touches, grouped by person: person i owns [TouchStart[i], TouchEnd[i]), oldest first. A person whose touches change
    // gets a new range appended after TouchUsed; older snapshots never look past their own TouchUsed, so they share the arrays.
    public required int[] TouchStart { get; init; }
    public required int[] TouchEnd { get; init; }
    /// <summary>Slots of the touch arrays in use (live ranges plus ranges left behind by updates).</summary>
    public required int TouchUsed { get; init; }
    /// <summary>Touches in live ranges.</summary>
    public required long TouchLive { get; init; }
    public required int[] TouchAt { get; init; }
    public required byte[] TouchChannel { get; init; }
    public required byte[] TouchType { get; init; }
    public required int[] TouchCampaign { get; init; }
    /// <summary>Ticks below the second of each touch's time: with <see cref="TouchAt"/> the exact instant, which a replay of the
    /// lead definition needs to reproduce MQL times exactly.</summary>
    public required int[] TouchSub { get; init; }

    // Stage changes, grouped by person like touches (for the what-if's replay): exact times, target, whether a definition made it.
    public required int[] StageStart { get; init; }
    public required int[] StageEnd { get; init; }
    public required int StageUsed { get; init; }
    public required long[] StageTicks { get; init; }
    public required LifecycleStage[] StageTo { get; init; }
    public required bool[] StageByDefinition { get; init; }
    /// <summary>Re-engage date of a move to Nurture in ticks; 0 when none.</summary>
    public required long[] StageReengage { get; init; }

    // What fit rules read of a person (the what-if): email domain and title as codes, the source channel the record gives.
    public required int[] PersonDomain { get; init; }
    public required int[] PersonTitle { get; init; }
    public required byte[] PersonOwnChannel { get; init; }
    public required Labels Domains { get; init; }
    public required Labels Titles { get; init; }

    /// <summary>Snapshots updated from one full load share a lineage; their generations count the updates since it.</summary>
    public required Guid Lineage { get; init; }
    public required int Generation { get; init; }
    /// <summary>The generation in which each person's rows last changed: what a result kept from an older snapshot of the same
    /// lineage must compute again (the what-if's judgements and replays).</summary>
    public required int[] PersonGeneration { get; init; }

    /// <summary>Positions that changed since snapshot <paramref name="kept"/> (new people included); null when it is of another lineage.</summary>
    public List<int>? ChangedSince(InsightFacts kept)
    {
        if (kept.Lineage != Lineage || kept.Generation > Generation) return null;
        var changed = new List<int>();
        for (var i = 0; i < PeopleCount; i++)
            if (i >= kept.PeopleCount || PersonGeneration[i] > kept.Generation) changed.Add(i);
        return changed;
    }

    /// <summary>Anything else kept with this snapshot by other features (the what-if's view of it), built on first use.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, object> Extras { get; } = new(StringComparer.Ordinal);

    // Opportunities, by position (by id at a full load, then appended).
    public required int[] OppId { get; init; }
    public required int[] OppPositionOfId { get; init; }
    public required int[] OppPerson { get; init; }
    public required int[] OppAccount { get; init; }
    public required int[] OppOwner { get; init; }
    public required long[] OppAmount { get; init; }
    public required int[] OppCurrency { get; init; }
    public required int[] OppCreated { get; init; }
    public required int[] OppClosed { get; init; }
    public required Outcome[] OppOutcome { get; init; }
    public required int[] OppReason { get; init; }

    // Small tables.
    public required InsightAccount[] Accounts { get; init; }
    public required InsightCampaign[] Campaigns { get; init; }
    /// <summary>User id → name and team name.</summary>
    public required Dictionary<int, (string Name, string? Team)> Users { get; init; }

    public required Labels Currencies { get; init; }
    public required Labels Reasons { get; init; }
    public required Labels Versions { get; init; }
    public required Labels Personas { get; init; }

    /// <summary>Slice codes, built on first use (custom properties are read from the database then).</summary>
    internal readonly Dictionary<string, Dimension> DimensionCache = new(StringComparer.Ordinal);

    /// <summary>Names of the custom properties people, accounts and deals carry, read on first use (the split-by list).</summary>
    internal string[]? PropertyNames;

    /// <summary>Answers already computed over these facts, by report and query: the facts never change, so neither do they.</summary>
    internal readonly System.Collections.Concurrent.ConcurrentDictionary<string, InsightTable> Results = new(StringComparer.Ordinal);

    public const byte NoChannel = Features.Channels.ChannelSet.None;

    /// <summary>The channel taxonomy the codes in <see cref="PersonChannel"/> and <see cref="TouchChannel"/> refer to.</summary>
    public required Features.Channels.ChannelSet Channels { get; init; }

    /// <summary>The channel a code stands for; a key no longer in the taxonomy reads as Unknown.</summary>
    public Channel ChannelOf(byte code) => Channels[code]?.Channel ?? Channel.Unknown;

    public int PeopleCount => PersonId.Length;
    public int OppCount => OppId.Length;
    public long TouchCount => TouchLive;

    public int PersonIndex(int id) => id >= 0 && id < PositionOfId.Length ? PositionOfId[id] : -1;

    public int OppIndex(int id) => id >= 0 && id < OppPositionOfId.Length ? OppPositionOfId[id] : -1;

    /// <summary>An id → position map for ids that arrived in any order.</summary>
    public static int[] MapOfIds(int[] ids, int count)
    {
        var max = 0;
        for (var i = 0; i < count; i++) max = Math.Max(max, ids[i]);
        var map = new int[max + 1];
        Array.Fill(map, -1);
        for (var i = 0; i < count; i++) map[ids[i]] = i;
        return map;
    }
}

public sealed record InsightAccount(int Id, string? Industry, int? Employees, string? Region, long? AnnualRevenue = null, string? Country = null,
    string? Status = null);

public sealed record InsightCampaign(int Id, string Name, Channel Channel, long CostMinor, string Currency, DateTime? StartsAt, DateTime? EndsAt);

/// <summary>Interned strings: a code per distinct value, so columns hold small numbers.</summary>
public sealed class Labels
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public int Code(string value)
    {
        if (_codes.TryGetValue(value, out var c)) return c;
        c = _names.Count;
        _codes[value] = c;
        _names.Add(value);
        return c;
    }

    public string this[int code] => _names[code];

    public int Count => _names.Count;

    public bool TryGet(string value, out int code) => _codes.TryGetValue(value, out code);

    /// <summary>A copy to add codes to, so readers of the snapshot that holds this one never see it change.</summary>
    public Labels Clone()
    {
        var copy = new Labels();
        foreach (var n in _names) copy.Code(n);
        return copy;
    }
}

/// <summary>Times as whole seconds since 2000-01-01 UTC: half the memory of ticks, and exact enough for days.</summary>
public static class Clock
{
    public const int None = int.MinValue;
    private static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static int Of(DateTime utc)
    {
        var s = (utc - Epoch).TotalSeconds;
        return (int)Math.Clamp(Math.Floor(s), int.MinValue + 1, int.MaxValue);
    }

    public static int Of(DateTime? utc) => utc is { } u ? Of(u) : None;

    /// <summary>The ticks of <paramref name="utc"/> below its whole second (<see cref="Of(DateTime)"/> drops them).</summary>
    public static int Sub(DateTime utc) => (int)((utc - Epoch).Ticks - (long)Of(utc) * TimeSpan.TicksPerSecond);

    /// <summary>The exact instant from whole seconds and the ticks below them.</summary>
    public static DateTime Exact(int seconds, int sub) => new(Epoch.Ticks + seconds * TimeSpan.TicksPerSecond + sub, DateTimeKind.Utc);

    public static DateTime ToDate(int t) => Epoch.AddSeconds(t);

    public static double Days(int from, int to) => (to - (double)from) / 86_400;

    /// <summary>
    /// Days between two instants: elapsed (fractional: 14.65) or calendar (whole UTC dates apart, as an analyst's
    /// <c>date(closed) - date(created)</c>: 14). Decision 0057.
    /// </summary>
    public static double Days(int from, int to, bool calendar) =>
        calendar ? Math.Floor(to / 86_400.0) - Math.Floor(from / 86_400.0) : Days(from, to);
}
