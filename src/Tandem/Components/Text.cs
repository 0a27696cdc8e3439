using System.Globalization;
using System.Text;

namespace Tandem.Components;

/// <summary>How values read on a page. One place, so dates and names look the same everywhere.</summary>
public static class Text
{
    /// <summary>Enum names as words: PaidSearch → "Paid search". Stage names (MQL, SAL…) stay as written.</summary>
    public static string Words<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        if (name.All(char.IsUpper)) return name;
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) sb.Append(' ').Append(char.ToLowerInvariant(name[i]));
            else sb.Append(name[i]);
        }
        return sb.ToString();
    }

    /// <summary>Timestamps are stored in UTC and shown in UTC, labelled, until users have time zones in the UI.</summary>
    public static string When(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string OrDash(string? s) => string.IsNullOrWhiteSpace(s) ? "–" : s;
}
