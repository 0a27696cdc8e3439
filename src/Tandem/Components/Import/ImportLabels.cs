using Tandem.Features.Import;

namespace Tandem.Components.Import;

/// <summary>Words for the import page: fields as people say them, not as the mapping file spells them.</summary>
public static class ImportLabels
{
    public static string Entity(ImportEntity e) => e switch
    {
        ImportEntity.People => "People (contacts, leads)",
        ImportEntity.Accounts => "Accounts (companies, organizations)",
        ImportEntity.Opportunities => "Opportunities (deals)",
        ImportEntity.Touches => "Touches (engagements)",
        ImportEntity.Campaigns => "Campaigns",
        ImportEntity.Users => "Users (the team)",
        _ => e.ToString(),
    };

    /// <summary>"salesStage,outcome" → "Sales stage + Outcome"; "properties.Lead Source" → "Custom property “Lead Source”".</summary>
    public static string Target(string target)
    {
        if (target == ImportMap.Ignore) return "Leave out";
        if (target.StartsWith(ImportMap.PropertyPrefix, StringComparison.OrdinalIgnoreCase))
            return $"Custom property “{target[ImportMap.PropertyPrefix.Length..]}”";
        return string.Join(" + ", target.Split(',').Select(Field));
    }

    public static string Field(string field)
    {
        if (field.StartsWith(ImportMap.PropertyPrefix, StringComparison.OrdinalIgnoreCase)) return Target(field);
        if (field == "externalId") return "ID in the source system";
        var words = new System.Text.StringBuilder();
        foreach (var c in field.Trim())
        {
            if (char.IsUpper(c) && words.Length > 0) words.Append(' ').Append(char.ToLowerInvariant(c));
            else words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : c);
        }
        return words.ToString();
    }

    public static string Preset(string name)
    {
        var parts = name.Split('-', 2);
        var product = parts[0] switch { "hubspot" => "HubSpot", "salesforce" => "Salesforce", "pipedrive" => "Pipedrive", var p => p };
        return parts.Length == 2 ? $"{product} {parts[1]} export" : product;
    }
}
