using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;

namespace Tandem.Components.People;

/// <summary>One line of history as a sentence. <see cref="Kind"/> is "touch", "score", "stage", "activity" or "deal".</summary>
public sealed record TimelineEntry(DateTime At, string Kind, string Sentence, string? Href = null);

/// <summary>
/// The timelines pages show: the same records as GET /api/people/{id}/timeline (touches, stage changes, activity rows),
/// told as sentences with names instead of ids, plus the score before and after each touch that moved it.
/// The API keeps its raw shape; this is its reading.
/// </summary>
public static class TimelineEntries
{
    public static async Task<List<TimelineEntry>> ForPersonAsync(TandemDb db, int personId, CancellationToken ct, int limit = 500)
    {
        var touches = await db.Touches.AsNoTracking().Where(t => t.PersonId == personId)
            .OrderByDescending(t => t.OccurredAt).ThenByDescending(t => t.Id).Take(limit)
            .Select(t => new { t.Id, t.OccurredAt, t.Type, t.Channel, t.CampaignId, Campaign = db.Campaigns.Where(c => c.Id == t.CampaignId).Select(c => c.Name).FirstOrDefault() })
            .ToListAsync(ct);
        var stages = await db.StageChanges.AsNoTracking().Where(s => s.PersonId == personId).OrderByDescending(s => s.At).Take(limit).ToListAsync(ct);
        var activity = await db.Activity.AsNoTracking().Where(a => a.SubjectKind == SubjectKind.Person && a.SubjectId == personId)
            .OrderByDescending(a => a.At).Take(limit).ToListAsync(ct);
        var actors = await Actors.LoadAsync(db, stages.Select(s => s.Actor).Concat(activity.Select(a => a.Actor)), ct, UserIdsIn(activity.Select(a => a.Detail)));

        var channels = await Features.Channels.ChannelSet.LoadAsync(db, ct);

        var items = new List<TimelineEntry>();
        items.AddRange(touches.Select(t => new TimelineEntry(t.OccurredAt, "touch", Sentences.Touch(t.Type, channels.Label(t.Channel), t.Campaign))));
        items.AddRange(await ScoresAsync(db, personId, ct));
        items.AddRange(stages.Select(s => new TimelineEntry(s.At, "stage",
            Sentences.Stage(s.From, s.To, s.Cause, Reasons.Label(s.Reason), actors.Label(s.Actor)) + (string.IsNullOrWhiteSpace(s.Note) ? "" : $" (note: “{s.Note}”)"))));
        foreach (var a in activity)
            if (Sentences.Activity(a.Kind, a.Detail, actors.Label(a.Actor), actors.User) is { } sentence)
                items.Add(new TimelineEntry(a.At, "activity", sentence));
        return items.OrderByDescending(i => i.At).ThenBy(i => Order(i.Kind)).ToList();
    }

    /// <summary>Within one instant the score line sits above (after) the touch that moved it.</summary>
    private static int Order(string kind) => kind switch { "score" => 0, "touch" => 1, "stage" => 2, _ => 3 };

    /// <summary>The active version's score just before and just after each touch that counted, by the same fold as the live score.</summary>
    private static async Task<List<TimelineEntry>> ScoresAsync(TandemDb db, int personId, CancellationToken ct)
    {
        var def = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(x => x.Status == DefinitionStatus.Active, ct);
        if (def is null) return [];
        var content = def.Parsed();
        var now = db.UtcNow;
        var touches = await db.Touches.AsNoTracking().Where(t => t.PersonId == personId && t.OccurredAt <= now).OrderBy(t => t.OccurredAt).ThenBy(t => t.Id)
            .Select(t => new { t.OccurredAt, t.Type, t.Channel, t.CampaignId }).ToListAsync(ct);
        var scoring = new Scoring(content.Engagement);
        var state = scoring.NewState();
        var lines = new List<(int Rule, int Raw, int Counted)>();
        var result = new List<TimelineEntry>();
        foreach (var t in touches)
        {
            var before = scoring.ScoreAt(state, t.OccurredAt);
            lines.Clear();
            scoring.Apply(state, new TouchFact(t.OccurredAt, t.Type, t.Channel, t.CampaignId), lines);
            if (lines.Sum(l => l.Counted) == 0) continue;
            var after = scoring.ScoreAt(state, t.OccurredAt);
            result.Add(new TimelineEntry(t.OccurredAt, "score",
                Sentences.Score(before, after, lines.Where(l => l.Counted != 0).Select(l => content.Engagement.Rules[l.Rule].Name))));
        }
        return result;
    }

    /// <summary>User ids that activity details name (an assignee, an owner change), so they can be shown by name.</summary>
    public static IEnumerable<int> UserIdsIn(IEnumerable<string?> details)
    {
        foreach (var d in details)
        {
            if (string.IsNullOrEmpty(d) || d[0] != '{') continue;
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(d, "\"(?:assigneeId|AssigneeId)\":(\\d+)|\"ownerId\":\\[(\\d+|null),(\\d+|null)\\]"))
                for (var g = 1; g < m.Groups.Count; g++)
                    if (int.TryParse(m.Groups[g].Value, out var id)) yield return id;
        }
    }
}
