namespace Tandem.Features.Cadence;

/// <summary>One term's count per week (oldest week first) and in all.</summary>
public sealed record ThemeRow(string Term, int Total, IReadOnlyList<int> PerWeek);

/// <summary>The most frequent terms of a kind of note, week by week.</summary>
public sealed record ThemeTable(IReadOnlyList<IsoWeek> Weeks, IReadOnlyList<ThemeRow> Rows, int Notes);

/// <summary>
/// "Top questions over time" (issue 15): which themes customers keep raising. A theme is a word that carries meaning:
/// the words of each note, lower-cased, without common English words, short words and numbers, and with a plural
/// "s" folded so "integrations" and "integration" count together. A note counts once per term however often it repeats
/// it, so one long note cannot outweigh three customers. Pure: the page gives the notes and the weeks;
/// <see cref="Matches"/> is the drill-down's test, so the notes listed behind a count are exactly the ones counted.
/// </summary>
public static class NoteThemes
{
    private static readonly HashSet<string> Stop = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "asked", "asks", "at", "be", "because",
        "been", "before", "being", "both", "but", "by", "can", "could", "customer", "customers", "did", "do", "does", "doing", "don", "each",
        "for", "from", "get", "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "if", "in", "into", "is", "it", "its",
        "just", "like", "may", "me", "might", "more", "most", "much", "must", "my", "need", "needs", "no", "nor", "not", "now", "of", "off",
        "on", "once", "one", "only", "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that",
        "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "use",
        "very", "want", "wants", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours", "asked", "said", "says", "told", "there", "still", "yet", "any", "anyone", "ask", "wanted", "wondering",
    };

    /// <summary>The distinct theme terms of one note's text, in order of first appearance.</summary>
    public static IReadOnlyList<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(text)) return terms;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] == '-' && start >= 0));
            if (inWord) { if (start < 0) start = i; continue; }
            if (start < 0) continue;
            var word = Fold(text[start..i].Trim('-').ToLowerInvariant());
            start = -1;
            if (word.Length < 3 || Stop.Contains(word) || word.All(char.IsDigit)) continue;
            if (seen.Add(word)) terms.Add(word);
        }
        return terms;
    }

    /// <summary>Plural "s" folded; "ss", "us" and "is" endings kept (process, status, analysis).</summary>
    private static string Fold(string w) =>
        w.Length > 4 && w[^1] == 's' && w[^2] is not ('s' or 'u' or 'i') ? w[..^1] : w;

    public static bool Matches(string? text, string term) => Terms(text).Contains(term);

    /// <param name="notes">The notes to count (their time and text).</param>
    /// <param name="weeks">The weeks to show, oldest first; notes outside them are not counted.</param>
    /// <param name="weekOf">The week a note's time falls in (the company's time zone).</param>
    /// <param name="top">How many terms to keep: the most frequent in all, ties by the latest week, then alphabetically.</param>
    public static ThemeTable Of(IEnumerable<(DateTime At, string Text)> notes, IReadOnlyList<IsoWeek> weeks, Func<DateTime, IsoWeek> weekOf, int top)
    {
        var index = weeks.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i);
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var counted = 0;
        foreach (var (at, text) in notes)
        {
            if (!index.TryGetValue(weekOf(at), out var wi)) continue;
            counted++;
            foreach (var t in Terms(text))
            {
                if (!counts.TryGetValue(t, out var row)) counts[t] = row = new int[weeks.Count];
                row[wi]++;
            }
        }
        var rows = counts.Select(kv => new ThemeRow(kv.Key, kv.Value.Sum(), kv.Value))
            .OrderByDescending(r => r.Total).ThenByDescending(r => Latest(r.PerWeek)).ThenBy(r => r.Term, StringComparer.Ordinal)
            .Take(Math.Max(0, top)).ToList();
        return new ThemeTable(weeks, rows, counted);
    }

    private static int Latest(IReadOnlyList<int> perWeek)
    {
        for (var i = perWeek.Count - 1; i >= 0; i--) if (perWeek[i] > 0) return i;
        return -1;
    }

    /// <summary>The <paramref name="count"/> weeks ending with <paramref name="last"/>, oldest first.</summary>
    public static IReadOnlyList<IsoWeek> WeeksEnding(IsoWeek last, int count)
    {
        var weeks = new IsoWeek[Math.Max(1, count)];
        var w = last;
        for (var i = weeks.Length - 1; i >= 0; i--) { weeks[i] = w; w = w.Previous(); }
        return weeks;
    }
}
