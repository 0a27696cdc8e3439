using System.Globalization;
using System.Text.Json;
using Tandem.Data;
using Tandem.Features.Handoffs;

namespace Tandem.Components;

/// <summary>
/// History as sentences a reader says aloud: "Ana Ruiz accepted the lead", "Score 42 → 61 (Webinar attended)".
/// Pure, so each wording has a unit test; the loaders resolve ids to names before calling these.
/// </summary>
public static class Sentences
{
    /// <summary>
    /// A stage move. <paramref name="person"/> is null on the person's own page ("Became an MQL…") and their name
    /// elsewhere ("Ana Ruiz became an MQL…"); <paramref name="actor"/> is already a name.
    /// </summary>
    public static string Stage(LifecycleStage? from, LifecycleStage to, string cause, string? reason, string actor, string? person = null)
    {
        var who = person is null ? "" : person + " ";
        var lead = person ?? "the lead";
        var why = string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason;
        var s = cause switch
        {
            _ when from is null => $"{who}entered as {As(to)}" + cause switch
            {
                "touch" => " with a first touch",
                "import" => " by import",
                _ => $", added by {actor}",
            },
            "sla:accept" => $"{actor} accepted {lead}",
            "sla:reject" when to == LifecycleStage.Nurture => $"{actor} sent {lead} back to nurture{why}",
            "sla:reject" => $"{actor} rejected {lead}{why}",
            "opportunity" => $"{who}became {As(to)}: a deal was opened",
            "opportunity:won" => $"{who}became {As(to)}: a deal was won",
            _ when cause.StartsWith("definition:", StringComparison.Ordinal) => $"{who}became {As(to)} under definition {cause[11..]}",
            "manual" => $"{actor} moved {person ?? "them"} from {from} to {to}{why}",
            "import" => $"{who}moved from {from} to {to} by import{why}",
            "touch" => $"{who}moved from {from} to {to} after a new touch",
            _ => $"{who}moved from {from} to {to}{why}",
        };
        return Capital(s);
    }

    /// <summary>A deal's stage move: "Acme renewal opened at Discovery", "Ana Ruiz moved Acme renewal from Demo to Proposal", "… closed as won".</summary>
    public static string Deal(string deal, string? from, string to, Outcome outcome, string actor) => outcome switch
    {
        Outcome.Open when from is null => $"{deal} opened at {to} by {actor}",
        Outcome.Open => $"{actor} moved {deal} from {from} to {to}",
        _ => $"{actor} closed {deal} as {Text.Words(outcome).ToLowerInvariant()}",
    };

    /// <summary>"an MQL", "a SAL", "a customer", "nurture"… as the object of "became" or "entered as".</summary>
    public static string As(LifecycleStage s) => s switch
    {
        LifecycleStage.Inquiry => "an Inquiry",
        LifecycleStage.MQL => "an MQL",
        LifecycleStage.SAL => "a SAL",
        LifecycleStage.SQL => "an SQL",
        LifecycleStage.Customer => "a customer",
        LifecycleStage.Nurture => "a nurture contact",
        _ => "disqualified",
    };

    /// <summary>"Webinar attended via webinar, campaign Q3 launch"; the channel by its label.</summary>
    public static string Touch(TouchType type, string channel, string? campaign) =>
        $"{Text.Words(type)} via {channel.ToLowerInvariant()}" + (campaign is null ? "" : $", campaign {campaign}");

    /// <summary>"Score 42 → 61 (Webinar attended)": the score just before a touch and just after it, and the rules that counted.</summary>
    public static string Score(double before, double after, IEnumerable<string> rules)
    {
        var names = rules.Distinct().ToList();
        return $"Score {Round(before)} → {Round(after)}" + (names.Count == 0 ? "" : $" ({string.Join(", ", names)})");
    }

    private static string Round(double v) => Math.Round(v, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);

    /// <summary>
    /// An activity row. <paramref name="user"/> names a user id found in the detail (an assignee); fields the stage
    /// line already tells are left out, and a row that only repeats it gives null (the caller drops it).
    /// </summary>
    public static string? Activity(string kind, string? detail, string actor, Func<int, string> user)
    {
        using var doc = Parse(detail);
        var d = doc?.RootElement;
        string? Str(string name) => d is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Null => null, _ => v.GetRawText() } : null;
        int? Int(string name) => int.TryParse(Str(name), out var i) ? i : null;
        switch (kind)
        {
            case "person.created": return $"{actor} created the record";
            case "handoff.assigned":
                var to = Int("assigneeId") is { } a ? user(a) : "nobody";
                var reasonWhy = Str("why");
                return $"Routed to {to}" + (string.IsNullOrWhiteSpace(reasonWhy) ? "" : $": {reasonWhy}");
            case "handoff.attempt":
                var how = Str("kind") is { } k && Enum.TryParse<AttemptKind>(k, out var ak) ? Text.Words(ak).ToLowerInvariant() : "contact";
                var note = Str("note");
                return $"{actor} logged a {how} attempt" + (string.IsNullOrWhiteSpace(note) ? "" : $": “{note}”");
            case "sla.breached":
                var deadline = Str("deadline") is { } dl && Enum.TryParse<SlaDeadline>(dl, out var sd) ? Text.Words(sd).ToLowerInvariant() : "an SLA";
                var rep = Int("assigneeId") is { } r ? user(r) : "The rep";
                var due = DateTime.TryParse(Str("dueAt"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                    ? $" (due {Text.When(at)})" : "";
                return $"{rep} missed the {deadline} deadline{due}";
            default:
                if (kind.EndsWith(".updated", StringComparison.Ordinal))
                    return Changes(d, actor, user);
                var pairs = Tandem.Components.Admin.AuditDetail.Pairs(detail).Where(p => p.Name.Length > 0).Select(p => $"{Text.Words(p.Name)} {p.Value}");
                var noun = kind.Replace('.', ' ').Replace('_', ' ');
                var tail = string.Join(", ", pairs);
                return $"{actor}: {noun}" + (tail.Length == 0 ? "" : $" ({tail})");
        }
    }

    /// <summary>Stage fields are told by the stage line itself, so an update that only moved the stage repeats nothing here.</summary>
    private static readonly HashSet<string> StageFields = ["stage", "stageChangedAt", "reengageAt", "updatedAt", "version"];

    private static string? Changes(JsonElement? d, string actor, Func<int, string> user)
    {
        if (d is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Object)
            return $"{actor} updated the record";
        var parts = new List<string>();
        foreach (var c in changes.EnumerateObject())
        {
            if (StageFields.Contains(c.Name) || c.Value.ValueKind != JsonValueKind.Array || c.Value.GetArrayLength() != 2) continue;
            var isUser = c.Name is "ownerId" or "assigneeId";
            var field = isUser ? c.Name[..^2] : Text.Words(c.Name).ToLowerInvariant();
            string Val(JsonElement v) => v.ValueKind switch
            {
                JsonValueKind.Null => "nothing",
                JsonValueKind.Number when isUser && v.TryGetInt32(out var id) => user(id),
                JsonValueKind.String => $"“{v.GetString()}”",
                _ => v.GetRawText(),
            };
            parts.Add($"{field} from {Val(c.Value[0])} to {Val(c.Value[1])}");
        }
        return parts.Count == 0 ? null : $"{actor} changed {string.Join(", ", parts)}";
    }

    private static JsonDocument? Parse(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail) || detail[0] != '{') return null;
        try { return JsonDocument.Parse(detail); }
        catch (JsonException) { return null; }
    }

    private static string Capital(string s) => s.Length == 0 || char.IsUpper(s[0]) ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
