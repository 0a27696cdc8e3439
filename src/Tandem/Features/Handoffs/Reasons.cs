namespace Tandem.Features.Handoffs;

/// <summary>What a reason in the catalog may explain.</summary>
[Flags]
public enum ReasonUse { Reject = 1, Disqualify = 2, Nurture = 4, Loss = 8, NoDecision = 16, Win = 32 }

/// <summary>One reason: its stable code, the words people read, and where it may be given.</summary>
public sealed record ReasonEntry(string Code, string Label, ReasonUse Uses);

/// <summary>
/// The one reason catalog behind rejection, disqualification, recycling to nurture, and lost or undecided deals
/// (decision 0084). The rejection list (the reject_reasons table, which admins extend) is seeded from the same codes and
/// words; <see cref="Label"/> turns a code or an older wording into the catalog's words, so "Not ready: timing" and
/// "No budget or timing now" no longer read as two different reasons. Text that matches nothing (an imported CRM's
/// own reasons) is shown as written.
/// </summary>
public static class Reasons
{
    public static readonly IReadOnlyList<ReasonEntry> All =
    [
        new("bad-contact-data", "Bad contact data", ReasonUse.Reject | ReasonUse.Disqualify),
        new("out-of-business", "Out of business", ReasonUse.Reject | ReasonUse.Disqualify),
        new("not-ideal-customer", "Not our ideal customer", ReasonUse.Reject | ReasonUse.Disqualify),
        new("student-or-job-seeker", "Student or job seeker", ReasonUse.Reject | ReasonUse.Disqualify),
        new("competitor", "Competitor", ReasonUse.Reject | ReasonUse.Disqualify),
        new("duplicate", "Duplicate", ReasonUse.Reject | ReasonUse.Disqualify),
        new("existing-customer-or-opportunity", "Existing customer or known opportunity", ReasonUse.Reject | ReasonUse.Disqualify),
        new(RoutingConfiguration.NoBudgetOrTiming, "No budget or timing now", ReasonUse.Reject | ReasonUse.Nurture | ReasonUse.NoDecision),
        new("early-research", "Early research only", ReasonUse.Nurture),
        new("vendor-pitch", "Vendor pitching us", ReasonUse.Disqualify),
        new("lost-to-competitor", "Lost to competitor", ReasonUse.Loss),
        new("price-too-high", "Price too high", ReasonUse.Loss),
        new("missing-feature", "Missing feature", ReasonUse.Loss),
        new("champion-left", "Champion left", ReasonUse.Loss | ReasonUse.NoDecision),
        new("in-house-build", "Chose in-house build", ReasonUse.Loss),
        new("project-shelved", "Project shelved", ReasonUse.NoDecision),
        new("went-dark", "Went dark", ReasonUse.NoDecision),
        new("product-fit", "Best product fit", ReasonUse.Win),
        new("time-to-value", "Faster time to value", ReasonUse.Win),
        new("strong-champion", "Strong champion", ReasonUse.Win),
        new("integration", "Integration with their stack", ReasonUse.Win),
        new("price", "Price", ReasonUse.Win),
    ];

    /// <summary>Older or looser wordings of catalog reasons, as earlier demo data and hand-typed notes gave them.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Not ready: timing"] = RoutingConfiguration.NoBudgetOrTiming,
        ["Project not funded yet"] = RoutingConfiguration.NoBudgetOrTiming,
        ["Wants to revisit next quarter"] = RoutingConfiguration.NoBudgetOrTiming,
        ["No budget"] = RoutingConfiguration.NoBudgetOrTiming,
        ["Timing: next fiscal year"] = RoutingConfiguration.NoBudgetOrTiming,
        ["Not engaged yet"] = "early-research",
        ["Not a decision maker"] = "not-ideal-customer",
        ["Company too small"] = "not-ideal-customer",
        ["Already under contract elsewhere"] = "competitor",
        ["Student"] = "student-or-job-seeker",
        ["Job seeker"] = "student-or-job-seeker",
        ["Invalid contact data"] = "bad-contact-data",
        ["Company out of business"] = "out-of-business",
        ["Reorganisation"] = "project-shelved",
    };

    private static readonly Dictionary<string, ReasonEntry> ByCode = All.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, ReasonEntry> ByLabel = All.ToDictionary(r => r.Label, StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalog entry a code, label or known older wording names; null for free text.</summary>
    public static ReasonEntry? Find(string? codeOrText)
    {
        if (string.IsNullOrWhiteSpace(codeOrText)) return null;
        var key = codeOrText.Trim();
        if (ByCode.TryGetValue(key, out var e) || ByLabel.TryGetValue(key, out e)) return e;
        return Synonyms.TryGetValue(key, out var code) ? ByCode[code] : null;
    }

    /// <summary>
    /// The words to show for a stored reason: the catalog's label, a code humanised ("wrong-region" → "Wrong region"), or
    /// the text as written; null stays null.
    /// </summary>
    public static string? Label(string? codeOrText) =>
        string.IsNullOrWhiteSpace(codeOrText) ? null : Find(codeOrText)?.Label ?? Humanise(codeOrText.Trim());

    /// <summary>
    /// As <see cref="Label(string?)"/>, but the reject_reasons table's labels come first: an admin adds reasons through the
    /// API with their own code and label, and may relabel built-in ones, so the table is what the rep chose from.
    /// </summary>
    public static string? Label(string? codeOrText, IReadOnlyDictionary<string, string> table) =>
        string.IsNullOrWhiteSpace(codeOrText) ? null
            : table.TryGetValue(codeOrText.Trim(), out var label) && !string.IsNullOrWhiteSpace(label) ? label : Label(codeOrText);

    /// <summary>
    /// A code made readable when nothing names it: "not-ideal-customer" → "Not ideal customer". Only text shaped like a
    /// code (lower-case letters, digits and dashes) is changed; anything else was written by a person and stays as it is.
    /// </summary>
    public static string Humanise(string text)
    {
        if (text.Length == 0 || text[0] == '-' || text[^1] == '-' || !text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return text;
        var words = text.Replace('-', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>The labels that may explain one kind of decision, in catalog order.</summary>
    public static string[] For(ReasonUse use) => All.Where(r => (r.Uses & use) != 0).Select(r => r.Label).ToArray();
}
