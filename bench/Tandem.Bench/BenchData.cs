using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>The same touches for every measurement: ten per person, people spread over a thousand company domains.</summary>
internal sealed class BenchData
{
    public static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TouchType[] Types = Enum.GetValues<TouchType>();
    private static readonly Channel[] Channels = [.. Tandem.Features.Channels.ChannelSet.Default.All.Take(11).Select(c => c.Channel)]; // the eleven of the old enum, so data stays comparable

    public int Touches { get; }
    public int People => Math.Max(1, Touches / 10);

    public BenchData(int touches) => Touches = touches;

    public string Email(int person) => $"person{person}@company{person % 1000}.example";

    public string EventId(int i) => $"bench-{i:D8}";

    public int PersonOf(int i) => i % People;

    public TouchType Type(int i) => Types[i % Types.Length];

    public Channel Channel(int i) => Channels[i / Types.Length % Channels.Length];

    public DateTime OccurredAt(int i) => Start.AddSeconds(i);

    public string? Properties(int i) => i % 4 == 0 ? $$"""{"page":"/pricing","n":{{i}}}""" : null;

    public List<List<TouchInput>> Batches(int size)
    {
        var all = new List<List<TouchInput>>();
        for (var from = 0; from < Touches; from += size)
        {
            var batch = new List<TouchInput>(Math.Min(size, Touches - from));
            for (var i = from; i < Math.Min(from + size, Touches); i++)
            {
                System.Text.Json.JsonElement? props = Properties(i) is { } p ? System.Text.Json.JsonDocument.Parse(p).RootElement : null;
                batch.Add(new TouchInput(EventId(i), Email(PersonOf(i)), Type(i), Channel(i), null, OccurredAt(i), props));
            }
            all.Add(batch);
        }
        return all;
    }
}
