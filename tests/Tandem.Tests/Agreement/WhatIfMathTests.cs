using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

/// <summary>The what-if's comparison on a hand-made history: one counting unit (people), sets that add up, structural zeros.</summary>
public class WhatIfMathTests
{
    private static readonly DateTime From = new(2026, 1, 7, 12, 0, 0, DateTimeKind.Utc); // a Wednesday: the first week is partial
    private static readonly DateTime To = new(2026, 2, 4, 9, 0, 0, DateTimeKind.Utc);    // also a Wednesday

    private sealed class History(List<StageFact[]> stages, List<(DateTime, long, string)[]> won) : IWhatIfHistory
    {
        public int Count => stages.Count;
        public ReadOnlySpan<StageFact> StagesOf(int i) => stages[i];
        public ReadOnlySpan<(DateTime ClosedAt, long AmountMinor, string Currency)> WonOf(int i) => won[i];
    }

    private static DateTime D(int month, int day) => new(2026, month, day, 10, 0, 0, DateTimeKind.Utc);
    private static StageFact S(DateTime at, LifecycleStage to) => new(at, to, false, null);

    /// <summary>Six people: qualified by both at different times, by the draft only (never handed over), by the active version only,
    /// by both twice (recycled), and by nobody.</summary>
    private static (History, DateTime[]?[], DateTime[]?[]) Sample()
    {
        List<StageFact[]> stages =
        [
            // 0: both; the active version (reality) qualified on Jan 12, the draft on Jan 20; SAL on Jan 14 and SQL later.
            [S(D(1, 12), LifecycleStage.MQL), S(D(1, 14), LifecycleStage.SAL), S(D(1, 25), LifecycleStage.SQL)],
            // 1: only the draft; never handed over in reality.
            [S(D(1, 8), LifecycleStage.Inquiry)],
            // 2: only the draft, and really handed over later for another reason.
            [S(D(1, 28), LifecycleStage.MQL)],
            // 3: only active; accepted and won.
            [S(D(1, 9), LifecycleStage.MQL), S(D(1, 10), LifecycleStage.SAL), S(D(1, 15), LifecycleStage.SQL), S(D(1, 30), LifecycleStage.Customer)],
            // 4: both, twice each (recycled in between).
            [S(D(1, 13), LifecycleStage.MQL), S(D(1, 16), LifecycleStage.Nurture), S(D(1, 27), LifecycleStage.MQL)],
            // 5: nobody.
            [],
        ];
        List<(DateTime, long, string)[]> won = [[], [], [], [(D(1, 30), 500_00, "USD")], [], []];
        DateTime[]?[] draft = [[D(1, 20)], [D(1, 8)], [D(1, 21)], null, [D(1, 13), D(1, 27)], null];
        DateTime[]?[] active = [[D(1, 12)], null, null, [D(1, 9)], [D(1, 13), D(1, 27)], null];
        return (new History(stages, won), draft, active);
    }

    [Fact]
    public void The_rows_add_up_to_the_totals_column_by_column()
    {
        var (h, draft, active) = Sample();
        var r = WhatIfMath.Compare(h, 3, 2, draft, active, From, To);

        static int[] Columns(WhatIfSet s) => [s.People, s.HandedOver, s.Sal, s.Sql, s.Won];
        static int[] Sum(WhatIfSet a, WhatIfSet b) => [.. Columns(a).Zip(Columns(b), (x, y) => x + y)];
        Assert.Equal(Columns(r.DraftSet), Sum(r.Both, r.OnlyDraft));
        Assert.Equal(Columns(r.ActiveSet), Sum(r.Both, r.OnlyActive));
        Assert.Equal(r.DraftSet.WonRevenue.Sum(m => m.AmountMinor), r.Both.WonRevenue.Sum(m => m.AmountMinor) + r.OnlyDraft.WonRevenue.Sum(m => m.AmountMinor));
        // No subset exceeds its total in any column.
        Assert.All(Columns(r.Both).Zip(Columns(r.DraftSet)), p => Assert.True(p.First <= p.Second));
        // Person 0's SAL came before the draft's MQL but after the active one's: measured once from the earlier, counted in both totals.
        Assert.Equal((2, 1, 1), (r.Both.People, r.Both.Sal, r.Both.Sql));
        Assert.Equal(1, r.DraftSet.Sal);
    }

    [Fact]
    public void Headline_weeks_and_table_all_count_people_and_events_are_kept_apart()
    {
        var (h, draft, active) = Sample();
        var r = WhatIfMath.Compare(h, 3, 2, draft, active, From, To);

        Assert.Equal((4, 3, 4), (r.DraftPeople, r.ActivePeople, r.ActualPeople));
        Assert.Equal((r.DraftSet.People, r.ActiveSet.People), (r.DraftPeople, r.ActivePeople));
        Assert.Equal(r.DraftPeople, r.Weeks.Sum(w => w.Draft));
        Assert.Equal(r.ActivePeople, r.Weeks.Sum(w => w.Active));
        Assert.Equal(r.ActualPeople, r.Weeks.Sum(w => w.Actual));
        Assert.Equal((5, 4, 5), (r.DraftMqls, r.ActiveMqls, r.ActualMqls)); // person 4 qualifies twice
    }

    [Fact]
    public void People_never_handed_over_are_told_apart_from_people_who_failed_to_convert()
    {
        var (h, draft, active) = Sample();
        var r = WhatIfMath.Compare(h, 3, 2, draft, active, From, To);

        Assert.Equal((2, 1, 0), (r.OnlyDraft.People, r.OnlyDraft.HandedOver, r.OnlyDraft.Sal));
        var neverHanded = WhatIfMath.Compare(h, 3, 2, [null, [D(1, 8)], null, null, null, null], active, From, To);
        Assert.Equal((1, 0), (neverHanded.OnlyDraft.People, neverHanded.OnlyDraft.HandedOver));
        Assert.Equal("not handed over", Tandem.Components.Agreement.AgreementData.Conversion(neverHanded.OnlyDraft, 0, 0));
        Assert.Equal("0 %", Tandem.Components.Agreement.AgreementData.Conversion(r.OnlyDraft, r.OnlyDraft.Sal, r.OnlyDraft.HandedOver));
        Assert.Equal("100 %", Tandem.Components.Agreement.AgreementData.Conversion(r.OnlyActive, r.OnlyActive.Sal, r.OnlyActive.HandedOver));
    }

    [Fact]
    public void The_first_and_current_weeks_are_marked_partial()
    {
        var (h, draft, active) = Sample();
        var r = WhatIfMath.Compare(h, 3, 2, draft, active, From, To);

        Assert.Equal(new DateOnly(2026, 1, 5), r.Weeks[0].Week);
        Assert.True(r.Weeks[0].Partial);
        Assert.True(r.Weeks[^1].Partial);
        Assert.All(r.Weeks.Skip(1).SkipLast(1), w => Assert.False(w.Partial));
    }
}
