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
            return _facts = await InsightLoader.LoadAsync(db, personas, ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}
