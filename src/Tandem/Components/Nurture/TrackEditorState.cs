using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Nurture;

namespace Tandem.Components.Nurture;

/// <summary>The choices the editor offers: recycle reasons (the reject-reason catalog's recycling ones, then the reasons the
/// history recorded for moves to Nurture) and personas (the configured ones, then Other and Unknown).</summary>
public sealed record TrackChoices(IReadOnlyList<string> Reasons, IReadOnlyList<string> Personas, Tandem.Features.Channels.ChannelSet Channels)
{
    public static async Task<TrackChoices> LoadAsync(TandemDb db, Personas personas, CancellationToken ct)
    {
        var catalog = await db.RejectReasons.AsNoTracking().Where(r => r.Recycles && r.IsActive).OrderBy(r => r.Position).Select(r => r.Label).ToListAsync(ct);
        var seen = await db.StageChanges.AsNoTracking().Where(c => c.To == LifecycleStage.Nurture && c.Reason != null)
            .GroupBy(c => c.Reason!).OrderByDescending(g => g.Count()).Select(g => g.Key).Take(20).ToListAsync(ct);
        return new TrackChoices([.. catalog.Concat(seen).Distinct(StringComparer.OrdinalIgnoreCase)],
            [.. personas.Rules.Select(r => r.Persona).Append(Features.Insight.Personas.Other).Append(Features.Insight.Personas.Unknown).Distinct()],
            await Tandem.Features.Channels.ChannelSet.LoadAsync(db, ct));
    }
}

/// <summary>What the track editor shows: the form (stored, or as posted after a refused save), errors by form field, and a message.</summary>
public sealed record TrackEditorState(int? Id, TrackForm Form, IDictionary<string, string[]> Errors, string? Message, TrackChoices Choices)
{
    public string[] ErrorsFor(string field) => Errors.TryGetValue(field, out var e) ? e : [];

    public bool Bad(string field) => Errors.ContainsKey(field);

    /// <summary>Errors that no input shows (the track as a whole, "steps"), listed above the form.</summary>
    public IEnumerable<KeyValuePair<string, string[]>> Unplaced(ISet<string> shown) => Errors.Where(e => !shown.Contains(e.Key));

    public string Action => Id is { } id ? $"/nurture/{id}/edit" : "/nurture/new";
}
