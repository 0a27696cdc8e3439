namespace Tandem.Features.Webhooks;

/// <summary>Event filters: "*", exact types, or a family prefix "sla.*".</summary>
public static class WebhookEvents
{
    public static bool Matches(string filter, string eventType)
    {
        foreach (var raw in filter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "*" || raw.Equals(eventType, StringComparison.OrdinalIgnoreCase)) return true;
            if (raw.EndsWith(".*", StringComparison.Ordinal) && eventType.StartsWith(raw[..^1], StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Null when the filter is valid, else why not.</summary>
    public static string? Validate(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return "'events' is required: \"*\" for all, or types such as \"sla.breached,lead.*\".";
        foreach (var part in filter.Split(',', StringSplitOptions.TrimEntries))
            if (part.Length == 0 || (part != "*" && !IsType(part.EndsWith(".*", StringComparison.Ordinal) ? part[..^2] : part)))
                return $"'{part}' is not an event type: use lower-case words joined by dots, such as sla.breached, or a family such as sla.*.";
        return null;
    }

    public static bool IsType(string type) =>
        type.Length is > 0 and <= 100 && type.Split('.').All(w => w.Length > 0 && w.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'));
}
