namespace Tandem.Features.Insight;

/// <summary>One persona and the words in a job title that make it (case-insensitive, whole-word-ish substring match).</summary>
public sealed record PersonaRule(string Persona, string[] TitleContains);

/// <summary>
/// The configurable title → persona mapping (configuration section <c>Insight:Personas</c>, a list of
/// <see cref="PersonaRule"/>). The first matching rule wins; a title no rule matches is "Other", no title is "Unknown".
/// </summary>
public sealed class Personas
{
    public const string Unknown = "Unknown", Other = "Other";

    public static readonly PersonaRule[] Defaults =
    [
        new("Executive", ["chief", "ceo", "cfo", "cto", "cio", "cmo", "coo", "founder", "president", "owner", "vp", "vice president"]),
        new("Director", ["director", "head of", "head"]),
        new("Manager", ["manager", "lead", "supervisor"]),
        new("Practitioner", ["engineer", "analyst", "specialist", "developer", "consultant", "administrator", "architect", "coordinator", "associate"]),
    ];

    private readonly PersonaRule[] _rules;

    public Personas(IEnumerable<PersonaRule>? rules = null)
    {
        var given = rules?.Where(r => !string.IsNullOrWhiteSpace(r.Persona) && r.TitleContains is { Length: > 0 }).ToArray();
        (_rules, FromSettings) = given is { Length: > 0 } ? (given, true) : (Defaults, false);
    }

    public IReadOnlyList<PersonaRule> Rules => _rules;

    /// <summary>True when the rules came from the Insight:Personas setting, false when they are the built-in defaults.</summary>
    public bool FromSettings { get; }

    public string Of(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return Unknown;
        var padded = " " + Normalize(title) + " ";
        foreach (var rule in _rules)
            foreach (var word in rule.TitleContains)
                if (padded.Contains(" " + Normalize(word) + " ", StringComparison.Ordinal)) return rule.Persona;
        return Other;
    }

    /// <summary>Lower case, punctuation to spaces, so "VP, Sales" and "vp sales" match the word "vp".</summary>
    private static string Normalize(string s) =>
        string.Join(' ', new string(s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static Personas FromConfiguration(IConfiguration config) =>
        new(config.GetSection("Insight:Personas").Get<PersonaRule[]>());

    /// <summary>
    /// The same settings the server reads, for command-line verbs that run without a web host: <c>appsettings.json</c>
    /// beside the executable, then <c>TANDEM_</c> environment variables (decision 0018).
    /// </summary>
    public static Personas ReadSettings() => FromConfiguration(new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables("TANDEM_").Build());
}
