using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.People;

/// <summary>One line of a person's history. <see cref="Kind"/> is "touch", "stage" or "activity".</summary>
public sealed record TimelineItem(DateTime At, string Kind, string Title, string? Detail, string? Actor);

public static class PersonTimeline
{
    /// <summary>Touches, stage changes and activity rows, merged newest first (at most <paramref name="limit"/> of each).</summary>
    public static async Task<List<TimelineItem>> LoadAsync(TandemDb db, int personId, CancellationToken ct, int limit = 500)
    {
        var touches = await db.Touches.AsNoTracking().Where(t => t.PersonId == personId)
            .OrderByDescending(t => t.OccurredAt).Take(limit)
            .Select(t => new { t.OccurredAt, t.Type, t.Channel, Campaign = db.Campaigns.Where(c => c.Id == t.CampaignId).Select(c => c.Name).FirstOrDefault(), t.Properties })
            .ToListAsync(ct);
        var stages = await db.StageChanges.AsNoTracking().Where(s => s.PersonId == personId)
            .OrderByDescending(s => s.At).Take(limit).ToListAsync(ct);
        var activity = await db.Activity.AsNoTracking().Where(a => a.SubjectKind == SubjectKind.Person && a.SubjectId == personId)
            .OrderByDescending(a => a.At).Take(limit).ToListAsync(ct);

        var items = new List<TimelineItem>(touches.Count + stages.Count + activity.Count);
        items.AddRange(touches.Select(t => new TimelineItem(t.OccurredAt, "touch", $"{t.Type} via {t.Channel}", t.Campaign is null ? t.Properties : $"Campaign: {t.Campaign}", null)));
        items.AddRange(stages.Select(s => new TimelineItem(s.At, "stage",
            s.From is null ? $"Entered {s.To}" : $"{s.From} → {s.To}",
            string.Join(" · ", new[] { "cause: " + s.Cause, s.Reason, s.Note }.Where(x => !string.IsNullOrEmpty(x))), s.Actor)));
        items.AddRange(activity.Select(a => new TimelineItem(a.At, "activity", a.Kind, a.Detail, a.Actor)));
        return items.OrderByDescending(i => i.At).ThenBy(i => i.Kind).ToList();
    }
}
