using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>What the what-if compares needs of the real history, per person: <see cref="Timeline"/> in the app, a list in tests.</summary>
public interface IWhatIfHistory
{
    int Count { get; }

    /// <summary>Person i's stage changes, oldest first.</summary>
    ReadOnlySpan<StageFact> StagesOf(int i);

    /// <summary>Person i's won deals, in close order.</summary>
    ReadOnlySpan<(DateTime ClosedAt, long AmountMinor, string Currency)> WonOf(int i);
}

/// <summary>
/// Turns two replays into the comparison (pure): people qualifying per week, the overlap, and the real outcomes of each set.
/// Everything counts people. Each person's outcome is measured once, from their first replayed MQL in the period under either
/// version, so a person in both sets has one outcome and the rows add up: both + only draft = all of draft, column by column.
/// </summary>
public static class WhatIfMath
{
    public static WhatIfResult Compare(IWhatIfHistory t, int draftNumber, int activeNumber, DateTime[]?[] draft, DateTime[]?[] active, DateTime from, DateTime to)
    {
        var weeks = new SortedDictionary<DateOnly, int[]>();
        for (var w = Week(from); w <= Week(to); w = w.AddDays(7)) weeks[w] = new int[3];
        var sets = new SetBuilder[5]; // draft, active, both, only draft, only active
        for (var k = 0; k < sets.Length; k++) sets[k] = new SetBuilder();
        var (draftMqls, activeMqls, actualMqls, actualPeople) = (0, 0, 0, 0);
        for (var i = 0; i < t.Count; i++)
        {
            var d = FirstIn(draft[i], from, to, ref draftMqls);
            var a = FirstIn(active[i], from, to, ref activeMqls);
            if (d is { } dw) weeks[Week(dw)][0]++;
            if (a is { } aw) weeks[Week(aw)][1]++;
            DateTime? real = null;
            foreach (var s in t.StagesOf(i))
                if (s.To == LifecycleStage.MQL && s.At >= from && s.At <= to) { actualMqls++; real ??= s.At; }
            if (real is { } r) { weeks[Week(r)][2]++; actualPeople++; }
            if (d is null && a is null) continue;
            var anchor = d is { } x && (a is not { } y || x <= y) ? x : a!.Value;
            var o = Outcome.Of(t, i, anchor, from, to);
            if (d is not null) sets[0].Add(o);
            if (a is not null) sets[1].Add(o);
            sets[d is not null && a is not null ? 2 : d is not null ? 3 : 4].Add(o);
        }
        return new WhatIfResult(draftNumber, activeNumber, from, to, sets[0].People, sets[1].People, actualPeople, draftMqls, activeMqls, actualMqls,
            [.. weeks.Select(w => new WhatIfWeek(w.Key, w.Value[0], w.Value[1], w.Value[2], IsPartial(w.Key, from, to)))],
            sets[0].Build(), sets[1].Build(), sets[2].Build(), sets[3].Build(), sets[4].Build());
    }

    /// <summary>
    /// The people <paramref name="newer"/> qualifies in the period and <paramref name="older"/> does not (the what-if's "gained"
    /// row) whose latest real stage still lets them become an MQL at <paramref name="to"/>: what re-evaluating everyone on
    /// activation should turn into MQLs, if their score has not faded since.
    /// </summary>
    public static int GainedStillWaiting(IWhatIfHistory t, DateTime[]?[] newer, DateTime[]?[] older, DateTime from, DateTime to)
    {
        var count = 0;
        var ignored = 0;
        for (var i = 0; i < t.Count; i++)
        {
            if (FirstIn(newer[i], from, to, ref ignored) is null || FirstIn(older[i], from, to, ref ignored) is not null) continue;
            var stages = t.StagesOf(i);
            if (stages.Length == 0 || Qualification.Eligible(stages[^1].To, stages[^1].ReengageAt, to)) count++;
        }
        return count;
    }

    /// <summary>The Monday (UTC) of the week holding <paramref name="at"/>.</summary>
    public static DateOnly Week(DateTime at)
    {
        var day = DateOnly.FromDateTime(at);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>A week the period does not cover whole: it starts before <paramref name="from"/> or ends after <paramref name="to"/>.</summary>
    public static bool IsPartial(DateOnly week, DateTime from, DateTime to)
    {
        var start = week.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return start < from || start.AddDays(7) > to;
    }

    /// <summary>Counts the MQL events in range; returns the first one, if any.</summary>
    private static DateTime? FirstIn(DateTime[]? mqls, DateTime from, DateTime to, ref int total)
    {
        DateTime? first = null;
        foreach (var m in mqls ?? [])
        {
            if (m < from || m > to) continue;
            total++;
            first ??= m;
        }
        return first;
    }

    /// <summary>What became of one person after <c>anchor</c>, from their real stage history and won deals.</summary>
    private readonly record struct Outcome(bool HandedOver, bool Sal, bool Sql, bool Won, (DateTime ClosedAt, long AmountMinor, string Currency)[] Deals)
    {
        public static Outcome Of(IWhatIfHistory t, int i, DateTime anchor, DateTime from, DateTime to)
        {
            bool handed = false, sal = false, sql = false, customer = false;
            foreach (var s in t.StagesOf(i))
            {
                // Handed over: sales really had them in the period (a real MQL, or a later stage), whenever the replay qualified them.
                handed |= s.At >= from && s.At <= to && s.To is LifecycleStage.MQL or LifecycleStage.SAL or LifecycleStage.SQL or LifecycleStage.Customer;
                if (s.At < anchor) continue;
                sal |= s.To is LifecycleStage.SAL or LifecycleStage.SQL or LifecycleStage.Customer;
                sql |= s.To is LifecycleStage.SQL or LifecycleStage.Customer;
                customer |= s.To == LifecycleStage.Customer;
            }
            var deals = new List<(DateTime, long, string)>();
            foreach (var w in t.WonOf(i))
                if (w.ClosedAt >= anchor) deals.Add(w);
            return new(handed || sal, sal, sql, deals.Count > 0 || customer, [.. deals]);
        }
    }

    private sealed class SetBuilder
    {
        private int _handed, _sal, _sql, _won;
        private readonly SortedDictionary<string, long> _revenue = new(StringComparer.Ordinal);

        public int People { get; private set; }

        public void Add(Outcome o)
        {
            People++;
            if (o.HandedOver) _handed++;
            if (o.Sal) _sal++;
            if (o.Sql) _sql++;
            if (o.Won) _won++;
            foreach (var (_, amount, currency) in o.Deals) _revenue[currency] = _revenue.GetValueOrDefault(currency) + amount;
        }

        public WhatIfSet Build() => new(People, _handed, _sal, _sql, _won, [.. _revenue.Select(r => new MoneyTotal(r.Key, r.Value))]);
    }
}
