using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>Replays history under a draft and under the active version (registered as a singleton; holds the timeline cache).</summary>
public sealed class WhatIfService
{
    public const int DefaultMonths = 12;

    /// <summary>Null when the draft or the active version does not exist.</summary>
    public Task<WhatIfResult?> RunAsync(TandemDb db, int draftNumber, int months, CancellationToken ct) =>
        throw new NotImplementedException("Being written in main.");
}
