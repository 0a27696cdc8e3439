using System.Text.Json;
using Tandem.Data;

namespace Tandem.Features.Touches;

/// <summary>
/// One touch as a sender describes it. The person is named by their id in the sender's system
/// (<see cref="PersonExternalId"/>), by email, or both, and created if unknown (decision 0095);
/// the campaign by its external id or exact name. Channel may be left out when the campaign gives it.
/// </summary>
public sealed record TouchInput(string? EventId, string? Email, TouchType? Type, Channel? Channel, string? Campaign,
    DateTime? OccurredAt, JsonElement? Properties = null, string? FirstName = null, string? LastName = null,
    string? PersonExternalId = null);

/// <summary>Why one item of a batch was refused. <see cref="Index"/> is its 0-based position in the batch.</summary>
public sealed record TouchError(int Index, string? EventId, string Field, string Message);

public sealed record BatchResult(int Received, int Created, int Duplicates, int PeopleCreated, IReadOnlyList<TouchError> Errors)
{
    public int Rejected => Errors.Select(e => e.Index).Distinct().Count();
    /// <summary>People this batch qualified as MQL under the active lead definition.</summary>
    public int Mqls { get; init; }
}

/// <summary>A validated touch ready to store.</summary>
internal readonly record struct ValidTouch(int Index, string EventId, string? Email, string? ExternalId, TouchType Type, Channel? Channel, string? Campaign,
    DateTime OccurredAt, string? Properties, string? FirstName, string? LastName);

internal static class TouchValidation
{
    /// <summary>Checks one item on its own (no database); references are checked by the ingestor.</summary>
    public static bool TryValidate(int index, TouchInput t, DateTime now, Channels.ChannelSet channels, List<TouchError> errors, out ValidTouch valid)
    {
        valid = default;
        if (t is null)
        {
            errors.Add(new TouchError(index, null, $"touches[{index}]", $"Item {index} is empty (null): send a touch object."));
            return false;
        }
        var before = errors.Count;
        void Fail(string field, string message) => errors.Add(new TouchError(index, t.EventId, field, message));

        void Text<T>(string? value, string property, string field)
        {
            if (ModelLimits.TextProblem<T>(value, property, field) is { } problem) Fail(field, problem);
        }

        if (string.IsNullOrWhiteSpace(t.EventId)) Fail("eventId", "'eventId' is required: the sender's unique id for this event.");
        else Text<Touch>(t.EventId, nameof(Touch.EventId), "eventId");
        var hasId = !string.IsNullOrWhiteSpace(t.PersonExternalId);
        if (string.IsNullOrWhiteSpace(t.Email))
        {
            if (!hasId) Fail("email", "'email' or 'personExternalId' is required: the person is named by their email, their id in your system, or both.");
        }
        else if (!People.EmailAddress.IsValid(t.Email)) Fail("email", $"'{t.Email}' is not a valid email address.");
        else Text<People.Person>(t.Email, nameof(People.Person.Email), "email");
        if (hasId) Text<People.Person>(t.PersonExternalId!.Trim(), nameof(People.Person.ExternalId), "personExternalId");
        if (t.Type is null) Fail("type", "'type' is required: one of " + string.Join(", ", Enum.GetNames<TouchType>()) + ".");
        else if (ModelLimits.EnumProblem(t.Type, "type") is { } type) Fail("type", type);
        if (t.Channel is null && string.IsNullOrWhiteSpace(t.Campaign)) Fail("channel", "'channel' is required when no campaign is given.");
        // A channel is matched to the taxonomy as imports match it (case, spaces and underscores aside) and stored by its key.
        var channel = t.Channel is { } given ? channels.Find(given.Key)?.Channel : null;
        if (t.Channel is { } unknown && channel is null) Fail("channel", channels.Unknown(unknown.Key));
        Text<Campaigns.Campaign>(t.Campaign, nameof(Campaigns.Campaign.Name), "campaign");
        Text<People.Person>(t.FirstName, nameof(People.Person.FirstName), "firstName");
        Text<People.Person>(t.LastName, nameof(People.Person.LastName), "lastName");
        if (t.OccurredAt is null) Fail("occurredAt", "'occurredAt' is required (ISO 8601, UTC).");
        else if (t.OccurredAt.Value.ToUniversalTime() > now.AddDays(1)) Fail("occurredAt", $"'occurredAt' {t.OccurredAt:O} is in the future.");
        else if (ModelLimits.DateProblem(t.OccurredAt, "occurredAt") is { } old) Fail("occurredAt", old);
        if (t.Properties is { } p && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
            Fail("properties", "'properties' must be a JSON object.");
        else if (t.Properties is { ValueKind: JsonValueKind.Object } json && json.GetRawText().Contains("\\u0000", StringComparison.Ordinal))
            Fail("properties", "'properties' contains a NUL character (\\u0000), which cannot be stored.");
        if (errors.Count > before) return false;

        var props = t.Properties is { ValueKind: JsonValueKind.Object } o ? o.GetRawText() : null;
        valid = new ValidTouch(index, t.EventId!.Trim(), string.IsNullOrWhiteSpace(t.Email) ? null : People.EmailAddress.Normalize(t.Email),
            hasId ? t.PersonExternalId!.Trim() : null, t.Type!.Value, channel,
            string.IsNullOrWhiteSpace(t.Campaign) ? null : t.Campaign.Trim(), DateTime.SpecifyKind(t.OccurredAt!.Value.ToUniversalTime(), DateTimeKind.Utc),
            props, t.FirstName, t.LastName);
        return true;
    }
}
