using Tandem.Data;

namespace Tandem.Features.Demo;

/// <summary>Something due to happen in a person's life: a touch, or a stage move that applies only while still at Inquiry.</summary>
internal readonly record struct DemoEvent(DateTime At, TouchType Type, Channel Channel, LifecycleStage? Fate, string? Reason);

/// <summary>
/// A person's future, in time order. Stage moves sort before touches at the same instant, as a replay applies a stage
/// change dated at or before a touch before scoring it; equal times keep the order they were scheduled in.
/// </summary>
internal sealed class DemoEvents
{
    private readonly PriorityQueue<DemoEvent, (long Ticks, int Kind, int Seq)> _queue = new();
    private int _seq;

    public void Touch(DateTime at, TouchType type, Channel channel)
    {
        at = Seconds(at);
        _queue.Enqueue(new DemoEvent(at, type, channel, null, null), (at.Ticks, 1, _seq++));
    }

    public void Fate(DateTime at, LifecycleStage to, string reason)
    {
        at = Seconds(at);
        _queue.Enqueue(new DemoEvent(at, TouchType.Other, Channel.Other, to, reason), (at.Ticks, 0, _seq++));
    }

    /// <summary>Whole seconds: stored exactly by both databases (PostgreSQL keeps microseconds), so replays fold the same instants.</summary>
    private static DateTime Seconds(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public bool Next(out DemoEvent e) => _queue.TryDequeue(out e, out _);
}
