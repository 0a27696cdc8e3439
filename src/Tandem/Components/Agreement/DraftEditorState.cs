using Tandem.Features.Agreement;

namespace Tandem.Components.Agreement;

/// <summary>
/// What the draft editor shows: the draft's stored content (its structure: which rules there are), and, after a refused
/// save, the values as posted with the errors by field, so the form comes back exactly as it was sent.
/// </summary>
public sealed record DraftEditorState(int Number, int Version, string ContentHash, string? Note, DefinitionContent Content,
    IReadOnlyDictionary<string, string?> Posted, string Json, bool JsonMode, IDictionary<string, string[]> Errors, string? Message)
{
    public static DraftEditorState Of(LeadDefinition d)
    {
        var content = d.Parsed();
        return new DraftEditorState(d.Number, d.Version, d.ContentHash, d.Note, content, new Dictionary<string, string?>(), Pretty(content), false,
            new Dictionary<string, string[]>(), null);
    }

    public static string Pretty(DefinitionContent c) =>
        System.Text.Json.JsonSerializer.Serialize(c, new System.Text.Json.JsonSerializerOptions(DefinitionContent.Json) { WriteIndented = true });

    /// <summary>The posted value when the form came back, otherwise the draft's.</summary>
    public string Value(string field, string? stored) => !JsonMode && Posted.TryGetValue(field, out var v) ? v ?? "" : stored ?? "";

    public string[] ErrorsFor(string field) => Errors.TryGetValue("content." + field, out var e) ? e : [];

    /// <summary>Errors no simple field shows (in JSON mode: all of them), listed with their paths above the form.</summary>
    public IEnumerable<KeyValuePair<string, string[]>> Unplaced(ISet<string> fields) =>
        JsonMode ? Errors : Errors.Where(e => !fields.Contains(DraftForm.FieldOf(e.Key)));
}
