using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Tandem.Features.Import;

/// <summary>One record of the file. <see cref="Line"/> is the physical line it starts on (the header is line 1).</summary>
internal sealed record CsvRow(int Line, string[] Fields, string? Error, int? ErrorColumn = null);

/// <summary>
/// Streams a CSV file record by record, so memory stays flat however big the file is. Problems with the
/// text itself (a ragged row, a stray quote, bytes that are not valid in the encoding) come back on the row
/// rather than as exceptions, so one bad row does not hide the others.
/// </summary>
internal sealed class CsvSource : IDisposable
{
    private readonly FileStream _stream;
    private readonly CsvParser _parser;
    private string? _badData;
    private readonly bool _utf8;

    public string[] Header { get; private set; } = [];

    /// <summary>How far through the file the reader is, 0 to 1, for a progress bar.</summary>
    public double Fraction => _stream.Length == 0 ? 1 : (double)_stream.Position / _stream.Length;

    /// <summary>Columns whose header cell is empty (a spreadsheet's trailing column): ignored, with a warning.</summary>
    public IReadOnlySet<int> Unnamed { get; private set; } = new HashSet<int>();

    /// <summary>How many fields a row may lack at its end: the trailing unnamed columns, which some exports leave off.</summary>
    private int _optionalTail;

    private CsvSource(string path, ImportMap map, Encoding encoding, string delimiter)
    {
        _utf8 = encoding is UTF8Encoding;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var reader = new StreamReader(_stream, encoding, detectEncodingFromByteOrderMarks: true);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            BadDataFound = a => _badData ??= a.Field,
            IgnoreBlankLines = true,
        };
        _parser = new CsvParser(reader, config);
    }

    /// <summary>Opens the file and reads its header; null (with the reason in <paramref name="result"/>) when there is none.</summary>
    public static CsvSource? Open(string path, ImportMap map, ImportResult result)
    {
        if (!File.Exists(path)) { result.FileError(0, "the file does not exist."); return null; }
        CsvSource source;
        try
        {
            var encoding = EncodingOf(map.Encoding);
            var delimiter = map.Delimiter ?? Sniff(path, encoding);
            if (map.Delimiter is null && delimiter != ",")
                result.Warn(1, null, $"the columns are separated by '{Describe(delimiter)}' (detected from the header; set \"delimiter\" in the mapping to choose).");
            source = new CsvSource(path, map, encoding, delimiter);
        }
        catch (ArgumentException e) { result.FileError(0, $"unknown encoding '{map.Encoding}' in the mapping: {e.Message}"); return null; }
        catch (IOException e) { result.FileError(0, $"the file cannot be read: {e.Message}"); return null; }
        catch (UnauthorizedAccessException e) { result.FileError(0, $"the file cannot be read: {e.Message}"); return null; }
        if (!source._parser.Read() || source._parser.Record is not { } header || header.All(string.IsNullOrWhiteSpace))
        {
            result.FileError(1, "the file is empty: expected a header row naming the columns.");
            source.Dispose();
            return null;
        }
        source.Header = header.Select(h => h.Trim()).ToArray();
        source.Unnamed = Enumerable.Range(0, header.Length).Where(i => source.Header[i].Length == 0).ToHashSet();
        foreach (var i in source.Unnamed)
            result.Warn(1, i + 1, $"column {i + 1} has no name in the header; it is ignored. Name it in the header to import it.");
        source._optionalTail = source.Header.Reverse().TakeWhile(h => h.Length == 0).Count();
        if (source.InvalidText(source.Header) is { } col)
        {
            result.FileError(1, $"column {col + 1}: {source.EncodingMessage()}");
            source.Dispose();
            return null;
        }
        return source;
    }

    public IEnumerable<CsvRow> Rows()
    {
        while (_parser.Read())
        {
            var fields = _parser.Record ?? [];
            // RawRow is the last physical line of the record; a quoted field may span several lines.
            var line = _parser.RawRow - _parser.RawRecord.TrimEnd('\r', '\n').Count(c => c == '\n');
            string? error = null;
            int? errorColumn = null;
            if (_badData is not null)
                error = $"malformed CSV: a quote in an unquoted field or after a closing quote, near \"{Shorten(_badData)}\".";
            else if (fields.Length != Header.Length && !(fields.Length < Header.Length && fields.Length >= Header.Length - _optionalTail))
                error = $"this row has {fields.Length} fields but the header has {Header.Length}; check for an unquoted '{_parser.Delimiter}' or a missing value.";
            else if (InvalidText(fields) is { } col) (error, errorColumn) = (EncodingMessage(), col + 1);
            _badData = null;
            yield return new CsvRow(line, fields, error, errorColumn);
        }
    }

    /// <summary>
    /// The delimiter the header line uses: of comma, semicolon, tab and pipe, the one that occurs most outside quotes
    /// (European spreadsheets export with ';'). A header with none of them is one column, and a comma does no harm.
    /// </summary>
    internal static string Sniff(string path, Encoding encoding)
    {
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true);
        var counts = new Dictionary<char, int> { [','] = 0, [';'] = 0, ['\t'] = 0, ['|'] = 0 };
        var quoted = false;
        for (var c = reader.Read(); c >= 0; c = reader.Read())
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\n' or '\r') break;
            else if (!quoted && counts.ContainsKey((char)c)) counts[(char)c]++;
        }
        var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key == ',' ? 0 : 1).First();
        return best.Value == 0 ? "," : best.Key.ToString();
    }

    private static string Describe(string delimiter) => delimiter == "\t" ? "tab" : delimiter;

    /// <summary>Decoding replaces bytes that are not valid in the encoding with U+FFFD; finding one means the file is not in the encoding we were told.</summary>
    private int? InvalidText(string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
            if (fields[i].Contains('\uFFFD')) return i;
        return null;
    }

    private string EncodingMessage() => _utf8
        ? "the text is not valid UTF-8. If the file is Latin-1 or Windows-1252, say so in the mapping: \"encoding\": \"latin1\"."
        : "the text has bytes that are not valid in the mapping's encoding.";

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    internal static Encoding EncodingOf(string name)
    {
        if (name.Replace("-", "").Equals("utf8", StringComparison.OrdinalIgnoreCase)) return new UTF8Encoding(false);
        if (name.Equals("latin1", StringComparison.OrdinalIgnoreCase)) return Encoding.Latin1;
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(name);
    }

    public void Dispose()
    {
        _parser.Dispose();
        _stream.Dispose();
    }
}
