using System.Globalization;
using Tandem.Features.People;

namespace Tandem.Features.Import;

/// <summary>
/// One row seen through the mapping: typed getters that apply value maps, defaults, date formats and
/// scales, and record a located error instead of throwing. A row with any error is not written.
/// </summary>
internal sealed class RowValues(CsvRow row, BoundMap map, ImportResult result, Type stored)
{
    private bool _failed;

    public int Line => row.Line;
    public bool Ok => !_failed;

    /// <summary>Checks the row's text itself (ragged, encoding); call once before reading fields.</summary>
    public RowValues Check()
    {
        if (row.Error is not null) Fail(row.ErrorColumn, row.ErrorColumn is { } c ? map.Header[c - 1] : null, row.Error);
        return this;
    }

    public bool Has(string field) => map.Fields.ContainsKey(field);

    /// <summary>Both fields are fed by the same column of the file.</summary>
    public bool SameColumn(string a, string b) =>
        map.Fields.TryGetValue(a, out var x) && map.Fields.TryGetValue(b, out var y) && x.Index is { } i && i == y.Index;

    /// <summary>The raw cells of every mapped column, to compare two rows for the same record.</summary>
    public string MappedCells() => string.Join('\u001f', map.Fields.Values.Select(src => src.Index is { } i && i < row.Fields.Length ? row.Fields[i].Trim() : ""));

    /// <summary>The cell as the file has it (trimmed), before value maps and defaults; null when the field has no column.</summary>
    public string? Raw(string field) =>
        map.Fields.TryGetValue(field, out var src) && src.Index is { } i && i < row.Fields.Length ? row.Fields[i].Trim() : null;

    /// <summary>The mapped text: trimmed, value-mapped, defaulted; null when empty.</summary>
    public string? Text(string field, bool required = false)
    {
        if (!map.Fields.TryGetValue(field, out var src)) return null;
        var raw = src.Index is { } i && i < row.Fields.Length ? row.Fields[i].Trim() : "";
        if (raw.Length > 0 && map.Map.Values.TryGetValue(field, out var values)
            && (values.TryGetValue(raw, out var mapped) || values.TryGetValue(ImportMap.AnyOther, out mapped))) raw = mapped.Trim();
        if (raw.Length == 0 && map.Map.Defaults.TryGetValue(field, out var d)) raw = d;
        if (raw.Length == 0 && required)
            Fail(field, BoundMap.Identities.Contains(field) ? $"'{field}' is required but the cell is empty."
                : $"'{field}' is required but the cell is empty; to use one value for empty cells, give it in the mapping: \"defaults\": {{ \"{field}\": \"…\" }}.");
        // Held to the length the stored field declares, so no database truncates it or refuses the batch later.
        if (Data.ModelLimits.TextProblem(stored, raw, PropertyName(field), field) is { } problem)
        {
            Fail(field, problem.TrimEnd('.'));
            return null;
        }
        return raw.Length == 0 ? null : raw;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> PropertyNames = new(StringComparer.Ordinal);

    /// <summary>The entity property a field is stored in ("firstName" → "FirstName"), made once per field rather than per cell.</summary>
    private static string PropertyName(string field) => PropertyNames.GetOrAdd(field, f => char.ToUpperInvariant(f[0]) + f[1..]);

    private static readonly string[] Iso = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK", "O"];

    public DateTime? Date(string field)
    {
        if (Text(field) is not { } s) return null;
        var format = map.Map.DateFormats.GetValueOrDefault(field) ?? map.Map.DateFormat;
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (format is not null)
        {
            if (DateTime.TryParseExact(s, format, CultureInfo.InvariantCulture, utc, out var d)) return InRange(field, d);
            return Fail<DateTime>(field, $"'{s}' is not a date in format {format}");
        }
        // Without a format only ISO 8601 is accepted: guessing between 03/04 and 04/03 would be silently wrong.
        if (DateTime.TryParseExact(s, Iso, CultureInfo.InvariantCulture, utc, out var iso8601)) return InRange(field, iso8601);
        return Fail<DateTime>(field, $"'{s}' is not an ISO 8601 date (yyyy-MM-dd); set \"dateFormats\" in the mapping for other formats");
    }

    private DateTime? InRange(string field, DateTime d) =>
        Data.ModelLimits.DateProblem(d, field) is { } problem ? Fail<DateTime>(field, problem) : d;

    /// <summary>A number times the mapping's scale for the field.</summary>
    public decimal? Number(string field)
    {
        if (Text(field) is not { } s) return null;
        if (!decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var n))
            return Fail<decimal>(field, $"'{s}' is not a number");
        return n * map.Map.Scale.GetValueOrDefault(field, 1m);
    }

    public long? Whole(string field) => Number(field) is { } n ? (long)Math.Round(n, MidpointRounding.AwayFromZero) : null;

    public int? Int(string field)
    {
        if (Whole(field) is not { } n) return null;
        return n is >= 0 and <= int.MaxValue ? (int)n : Fail<int>(field, $"{n} is out of range");
    }

    /// <summary>Enum names match ignoring case, spaces and underscores ("paid search" → PaidSearch).</summary>
    public TEnum? Enum<TEnum>(string field) where TEnum : struct, System.Enum
    {
        if (Text(field) is not { } s) return null;
        if (EnumText<TEnum>.Parse(s) is { } v) return v;
        return Fail<TEnum>(field, $"'{s}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}; translate it in the mapping: "
            + $"\"values\": {{ \"{field}\": {{ \"{s}\": \"…\" }} }}");
    }

    /// <summary>A channel of the company's taxonomy, matched by key or label (case, spaces and underscores aside).</summary>
    public Data.Channel? Channel(string field, Channels.ChannelSet channels)
    {
        if (Text(field) is not { } s) return null;
        return channels.Find(s)?.Channel ?? Fail<Data.Channel>(field, channels.Unknown(s)
            + $" Or add it under \"channels\" in the mapping, or translate the value: \"values\": {{ \"{field}\": {{ \"{s}\": \"…\" }} }}");
    }

    /// <summary>An ISO currency code, upper-cased ("usd" → "USD").</summary>
    public string? Currency(string field)
    {
        if (Text(field)?.ToUpperInvariant() is not { } s) return null;
        if (Data.Money.IsCurrency(s)) return s;
        Fail(field, $"'{s}' is not a 3-letter currency code");
        return null;
    }

    public string? Email(string field, bool required = false)
    {
        if (Text(field, required) is not { } s) return null;
        if (EmailAddress.IsValid(s)) return EmailAddress.Normalize(s);
        Fail(field, $"'{s}' is not a valid email address");
        return null;
    }

    /// <summary>The id of the record this field refers to; an unknown or ambiguous reference is an error.</summary>
    public int? Ref(string field, RefResolver refs)
    {
        if (Text(field) is not { } s) return null;
        if (refs.Find(s, out var error) is { } id) return id;
        return Fail<int>(field, error!);
    }

    /// <summary>The row's custom properties; an empty cell means "no value" (and removes a stored one).</summary>
    public Dictionary<string, string?> Properties()
    {
        var props = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, i) in map.Properties)
        {
            var v = i < row.Fields.Length ? row.Fields[i].Trim() : "";
            if (v.Length > 0 && map.Map.Values.TryGetValue(ImportMap.PropertyPrefix + name, out var values)
                && (values.TryGetValue(v, out var mapped) || values.TryGetValue(ImportMap.AnyOther, out mapped))) v = mapped;
            if (v.Length > 4000) Fail(i + 1, map.Header[i], "a property value is at most 4,000 characters");
            props[name] = v.Length == 0 ? null : v;
        }
        return props;
    }

    public T? Fail<T>(string field, string message) where T : struct
    {
        Fail(field, message);
        return null;
    }

    public void Fail(string field, string message)
    {
        var src = map.Fields.GetValueOrDefault(field);
        if (src?.Index is { } i) Fail(i + 1, src.Column, message);
        else Fail(null, field, message);
    }

    private void Fail(int? column, string? columnName, string message)
    {
        if (!_failed) result.InvalidRows++;
        _failed = true;
        result.Add(new ImportError(map.File, Line, column, columnName, message));
    }
}

/// <summary>
/// An enum's value for a cell's text, ignoring case, spaces and underscores, remembered per text: a large file repeats a
/// handful of values a million times, and squashing every name for every row cost more than inserting the row (decision 0096).
/// </summary>
internal static class EnumText<TEnum> where TEnum : struct, System.Enum
{
    private const int MaxRemembered = 10_000;
    private static readonly Dictionary<string, TEnum> ByName = Names();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TEnum?> Seen = new(StringComparer.Ordinal);

    private static Dictionary<string, TEnum> Names()
    {
        var names = new Dictionary<string, TEnum>(StringComparer.Ordinal);
        foreach (var v in System.Enum.GetValues<TEnum>()) names.TryAdd(ImportMap.Squash(v.ToString()), v); // the first declared wins, as before
        return names;
    }

    public static TEnum? Parse(string text)
    {
        if (Seen.TryGetValue(text, out var known)) return known;
        TEnum? v = ByName.TryGetValue(ImportMap.Squash(text), out var found) ? found : null;
        if (Seen.Count < MaxRemembered) Seen[text] = v;
        return v;
    }
}
