namespace Tandem.Features.Agreement;

/// <summary>An amount in minor units of one currency; sums never mix currencies.</summary>
public sealed record MoneyTotal(string Currency, long AmountMinor);

/// <summary>
/// One week (Monday, UTC) of the replay: the people whose first MQL in the period falls in it, under each version and in
/// reality. Counting people (not MQL events) makes the weeks add up to the headline. <see cref="Partial"/> marks a week the
/// period only partly covers (the first and the current one), whose count is lower for that reason alone.
/// </summary>
public sealed record WhatIfWeek(DateOnly Week, int Draft, int Active, int Actual, bool Partial = false);

/// <summary>
/// People in one set and what became of them after their replayed MQL, from the real history. <see cref="HandedOver"/> is
/// how many of them really reached sales (a real MQL or a later stage in the period): conversion is measured over them, since
/// people never handed over could not convert, and that says nothing about their quality.
/// </summary>
public sealed record WhatIfSet(int People, int HandedOver, int Sal, int Sql, int Won, IReadOnlyList<MoneyTotal> WonRevenue);

/// <summary>
/// A draft against the active version over the same history. Everything counts people: <see cref="DraftPeople"/>,
/// <see cref="ActivePeople"/> and <see cref="ActualPeople"/> are the people with at least one MQL in the period, the weeks count
/// each person once, and the sets partition them (<see cref="Both"/> + <see cref="OnlyDraft"/> = <see cref="DraftSet"/>, column by
/// column). The <c>…Mqls</c> totals count MQL events (a person can qualify again after recycling), for a footnote.
/// </summary>
public sealed record WhatIfResult(int Draft, int Active, DateTime From, DateTime To,
    int DraftPeople, int ActivePeople, int ActualPeople, int DraftMqls, int ActiveMqls, int ActualMqls,
    IReadOnlyList<WhatIfWeek> Weeks, WhatIfSet DraftSet, WhatIfSet ActiveSet, WhatIfSet Both, WhatIfSet OnlyDraft, WhatIfSet OnlyActive);
