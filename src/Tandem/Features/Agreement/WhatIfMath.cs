using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>Turns two replays into the comparison: weekly MQLs, the overlap of people, and the real outcomes of each set.</summary>
public static class WhatIfMath
{
    public static WhatIfResult Compare(Timeline t, int draftNumber, int activeNumber, DateTime[]?[] draft, DateTime[]?[] active, DateTime from, DateTime to)
    {
        var weeks = new SortedDictionary<DateOnly, int[]>();
        for (var w = Week(from); w <= Week(to); w = w.AddDays(7)) weeks[w] = new int[3];
        var sets = new SetBuilder[5]; // draft, active, both, only draft, only active
        for (var k = 0; k < sets.Length; k++) sets[k] = new SetBuilder();
        var (draftMqls, activeMqls, actualMqls) = (0, 0, 0);
        for (var i = 0; i < t.Count; i++)
        {
            var d = FirstIn(draft[i], from, to, weeks, 0, ref draftMqls);
            var a = FirstIn(active[i], from, to, weeks, 1, ref activeMqls);
            foreach (var s in t.StagesOf(i))
                if (s.To == LifecycleStage.MQL && s.At >= from && s.At <= to) { weeks[Week(s.At)][2]++; actualMqls++; }
            if (d is { } dt) sets[0].Add(t, i, dt);
            if (a is { } at) sets[1].Add(t, i, at);
            if (d is { } bd && a is { } ba) sets[2].Add(t, i, bd < ba ? bd : ba);
            else if (d is { } od) sets[3].Add(t, i, od);
            else if (a is { } oa) sets[4].Add(t, i, oa);
        }
        return new WhatIfResult(draftNumber, activeNumber, from, to, draftMqls, activeMqls, actualMqls,
            [.. weeks.Select(w => new WhatIfWeek(w.Key, w.Value[0], w.Value[1], w.Value[2]))],
            sets[0].Build(), sets[1].Build(), sets[2].Build(), sets[3].Build(), sets[4].Build());
    }

    /// <summary>The Monday (UTC) of the week holding <paramref name="at"/>.</summary>
    public static DateOnly Week(DateTime at)
    {
        var day = DateOnly.FromDateTime(at);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>Counts the MQLs in range into the weeks; returns the first one, if any.</summary>
    private static DateTime? FirstIn(DateTime[]? mqls, DateTime from, DateTime to, SortedDictionary<DateOnly, int[]> weeks, int column, ref int total)
    {
        DateTime? first = null;
        foreach (var m in mqls ?? [])
        {
            if (m < from || m > to) continue;
            weeks[Week(m)][column]++;
            total++;
            first ??= m;
        }
        return first;
    }

    /// <summary>What became of people after a given MQL time, from their real stage history and won deals.</summary>
    private sealed class SetBuilder
    {
        private int _people, _sal, _sql, _won;
        private readonly SortedDictionary<string, long> _revenue = new(StringComparer.Ordinal);

        public void Add(Timeline t, int i, DateTime mql)
        {
            _people++;
            bool sal = false, sql = false, customer = false;
            foreach (var s in t.StagesOf(i))
            {
                if (s.At < mql) continue;
                sal |= s.To is LifecycleStage.SAL or LifecycleStage.SQL or LifecycleStage.Customer;
                sql |= s.To is LifecycleStage.SQL or LifecycleStage.Customer;
                customer |= s.To == LifecycleStage.Customer;
            }
            var won = false;
            foreach (var w in t.WonOf(i))
            {
                if (w.ClosedAt < mql) continue;
                won = true;
                _revenue[w.Currency] = _revenue.GetValueOrDefault(w.Currency) + w.AmountMinor;
            }
            if (sal) _sal++;
            if (sql) _sql++;
            if (won || customer) _won++;
        }

        public WhatIfSet Build() => new(_people, _sal, _sql, _won, [.. _revenue.Select(r => new MoneyTotal(r.Key, r.Value))]);
    }
}
