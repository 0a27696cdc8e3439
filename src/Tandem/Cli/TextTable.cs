using System.Globalization;

namespace Tandem.Cli;

/// <summary>
/// Tables for the command line that read anywhere (decision 0058): plain text, no box drawing or colour, columns aligned
/// with spaces; when the table is wider than the output, one block per row instead ("label  value" lines), so nothing is
/// squeezed into "…". The width is COLUMNS when set, else the terminal's, else 80 when piped.
/// </summary>
public sealed class TextTable(string? title, IReadOnlyList<string> headers, IReadOnlyList<bool> rightAligned)
{
    public const int PipedWidth = 80;
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];

    /// <summary>How many leading columns name the row (segment, currency): a vertical block is titled by them.</summary>
    public int KeyColumns { get; init; } = 1;

    public TextTable Add(IEnumerable<string> cells)
    {
        _rows.Add([.. cells]);
        return this;
    }

    public static int OutputWidth()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0) return c;
        if (!Console.IsOutputRedirected)
        {
            try { if (Console.WindowWidth > 0) return Console.WindowWidth; }
            catch (IOException) { /* no console: as piped */ }
        }
        return PipedWidth;
    }

    /// <summary>Prose (a title, a footnote) broken at spaces so no line is wider than <paramref name="width"/>.</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line;
                line = "";
            }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }

    public void Write(TextWriter w, int width)
    {
        if (title is not null) foreach (var l in Wrap(title, width)) w.WriteLine(l);
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var total = widths.Sum() + Gap.Length * Math.Max(0, widths.Length - 1);
        if (total <= width) WriteAligned(w, widths);
        else WriteVertical(w);
    }

    private void WriteAligned(TextWriter w, int[] widths)
    {
        w.WriteLine(Line(headers, widths));
        w.WriteLine(string.Join(Gap, widths.Select(n => new string('-', n))));
        foreach (var r in _rows) w.WriteLine(Line(r, widths));
    }

    private string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(Gap, cells.Select((c, i) => rightAligned[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();

    private void WriteVertical(TextWriter w)
    {
        var keys = Math.Clamp(KeyColumns, 0, headers.Count);
        var labelWidth = headers.Skip(keys).Select(h => h.Length).DefaultIfEmpty(0).Max();
        var valueWidth = _rows.SelectMany(r => r.Skip(keys)).Select(c => c.Length).DefaultIfEmpty(0).Max();
        foreach (var r in _rows)
        {
            w.WriteLine();
            w.WriteLine(string.Join(", ", Enumerable.Range(0, keys).Select(i => $"{headers[i]}: {r[i]}")));
            for (var i = keys; i < headers.Count; i++)
                w.WriteLine($"  {headers[i].PadRight(labelWidth)}{Gap}{r[i].PadLeft(valueWidth)}");
        }
    }
}
