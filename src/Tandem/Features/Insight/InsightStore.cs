using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Holds the current <see cref="InsightFacts"/> for the web host. Each report first reads the watermark (a few
/// max-id lookups); if the database moved on since the facts were built, they are rebuilt once, with concurrent
/// callers waiting for that one build. Otherwise reports scan memory only (decision 0010).
/// </summary>
public sealed class InsightStore(Personas personas)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private InsightFacts? _facts;
    private const long BigFacts = 1_000_000;

    public Personas Personas => personas;

    public async Task<InsightFacts> GetAsync(TandemDb db, CancellationToken ct)
    {
        var mark = await InsightLoader.WatermarkAsync(db, ct);
        if (_facts is { } f && f.Watermark == mark) return f;
        await _gate.WaitAsync(ct);
        try
        {
            if (_facts is { } again && again.Watermark == mark) return again;
            _facts = null; // let the old arrays go before the new ones are built: peak memory is one copy, not two
            _facts = await InsightLoader.LoadAsync(db, personas, ct);
            // A big rebuild leaves the old copy and the load's buffers behind: give that memory back to the system now
            // rather than whenever the GC next decides to (the server's resident size is a requirement). Small
            // databases rebuild in milliseconds and often, where a full collection would cost more than it returns.
            if (_facts.TouchCount + _facts.PeopleCount > BigFacts)
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return _facts;
        }
        finally
        {
            _gate.Release();
        }
    }
}
