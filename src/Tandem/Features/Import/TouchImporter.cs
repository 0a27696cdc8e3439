using System.Text.Json;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Features.Import;

/// <summary>
/// Touches go through <see cref="TouchIngestor"/>, the same path as POST /api/touches:batch, so an imported
/// touch is validated, deduplicated by event id and creates its person exactly like one sent to the API.
/// Columns no field claims become the touch's JSON properties.
/// </summary>
internal sealed class TouchImporter(ImportContext ctx) : EntityImporter(ctx)
{
    public override Type Stored => typeof(Touches.Touch);

    public override IReadOnlyList<FieldDef> Fields { get; } =
    [
        new("eventId", Required: true), new("email", OneOf: "person"), new("personExternalId", OneOf: "person"), new("type", Required: true),
        new("channel"), new("campaign"), new("occurredAt", Required: true), new("firstName"), new("lastName"),
    ];

    /// <summary>The import is one transaction (or, on SQLite's chunked path, chunks whose people stay written), so people found once stay found.</summary>
    private readonly KnownPeople _known = new();

    public override async Task ImportBatchAsync(IReadOnlyList<RowValues> rows, CancellationToken ct)
    {
        var sent = new List<(RowValues Row, TouchInput Input)>();
        foreach (var r in rows)
        {
            var (eventId, email, type) = (r.Text("eventId", required: true), r.Email("email"), r.Enum<TouchType>("type"));
            var (channel, campaign, at) = (r.Channel("channel", Ctx.Channels), r.Text("campaign"), r.Date("occurredAt"));
            var props = r.Properties().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
            if (!r.Ok) continue;
            JsonElement? json = props.Count == 0 ? null : JsonSerializer.SerializeToElement(props);
            sent.Add((r, new TouchInput(eventId, email, type, channel, campaign, at, json, r.Text("firstName"), r.Text("lastName"), r.Text("personExternalId"))));
        }
        if (sent.Count == 0) return;
        var result = await new TouchIngestor(Db, _known).IngestAsync(sent.Select(s => s.Input).ToList(), ct);
        foreach (var e in result.Errors) sent[e.Index].Row.Fail(e.Field, e.Message);
        Ctx.Result.Created += result.Created;
        Ctx.Result.Unchanged += result.Duplicates;
    }
}
