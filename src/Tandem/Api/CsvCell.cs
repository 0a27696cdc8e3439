namespace Tandem.Api;

/// <summary>
/// One text cell of an exported CSV (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (it starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return) gets a leading apostrophe, as OWASP's CSV injection
/// guidance says: names come from web forms and API keys, and an export is opened by someone else. Numbers are written
/// by the caller, not through here, so a negative amount stays a number.
/// </summary>
public static class CsvCell
{
    public static string Text(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r') s = "'" + s;
        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 || s.StartsWith(' ') || s.EndsWith(' ') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
