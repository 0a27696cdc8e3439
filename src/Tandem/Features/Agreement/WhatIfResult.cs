namespace Tandem.Features.Agreement;

/// <summary>An amount in minor units of one currency; sums never mix currencies.</summary>
public sealed record MoneyTotal(string Currency, long AmountMinor);

/// <summary>One week (Monday, UTC) of the replay: MQLs under each version, and those that really happened.</summary>
public sealed record WhatIfWeek(DateOnly Week, int Draft, int Active, int Actual);

/// <summary>People in one set and what became of them after their replayed MQL, from the real history.</summary>
public sealed record WhatIfSet(int People, int Sal, int Sql, int Won, IReadOnlyList<MoneyTotal> WonRevenue);

/// <summary>
/// A draft against the active version over the same history: MQLs per week under each, the overlap, and the real outcomes
/// of each set. <see cref="Both"/>, <see cref="OnlyDraft"/> and <see cref="OnlyActive"/> count people.
/// </summary>
public sealed record WhatIfResult(int Draft, int Active, DateTime From, DateTime To, int DraftMqls, int ActiveMqls, int ActualMqls,
    IReadOnlyList<WhatIfWeek> Weeks, WhatIfSet DraftSet, WhatIfSet ActiveSet, WhatIfSet Both, WhatIfSet OnlyDraft, WhatIfSet OnlyActive);
