using System.Globalization;
using System.Text;

namespace Tandem.Components;

/// <summary>How values read on a page. One place, so dates and names look the same everywhere.</summary>
public static class Text
{
    /// <summary>Enum names as words: PaidSearch → "Paid search". Stage names (MQL, SAL…) stay as written.</summary>
    public static string Words<T>(T value) where T : struct, Enum => Words(value.ToString());

    /// <summary>A PascalCase or camelCase name as words: "NoDecision" → "No decision", "firstTouchDue" → "first touch due".</summary>
    public static string Words(string name)
    {
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

    /// <summary>
    /// An amount stored in hundredths (<see cref="Data.Money"/>) written in its currency: symbol and that currency's
    /// decimals, "$36,300.00", "¥5,000", "R$1,200.50". A code we have no symbol for reads "CHF 10.00".
    /// </summary>
    /// <remarks>The app runs with invariant globalization (no culture data), so the symbols and ISO 4217 minor units
    /// are listed here rather than looked up from a culture; digits are grouped the invariant way on every page.</remarks>
    public static string Money(long minor, string? currency) => Money(Data.Money.ToMajor(minor), currency);

    public static string Money(decimal major, string? currency)
    {
        var code = string.IsNullOrWhiteSpace(currency) ? "USD" : currency.Trim().ToUpperInvariant();
        var (symbol, decimals) = CurrencyOf(code);
        var digits = Math.Round(Math.Abs(major), decimals, MidpointRounding.AwayFromZero).ToString("N" + decimals, CultureInfo.InvariantCulture);
        var sign = major < 0 ? "−" : "";
        return symbol is null ? $"{sign}{code} {digits}" : $"{sign}{symbol}{digits}";
    }

    /// <summary>The symbol (null: write the code) and the number of decimals of an ISO 4217 currency.</summary>
    public static (string? Symbol, int Decimals) CurrencyOf(string code) => code switch
    {
        "USD" => ("$", 2),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        "BRL" => ("R$", 2),
        "JPY" => ("¥", 0),
        "CNY" => ("CN¥", 2),
        "KRW" => ("₩", 0),
        "INR" => ("₹", 2),
        "CAD" => ("CA$", 2),
        "AUD" => ("A$", 2),
        "NZD" => ("NZ$", 2),
        "MXN" => ("MX$", 2),
        "HKD" => ("HK$", 2),
        "SGD" => ("S$", 2),
        "ILS" => ("₪", 2),
        "TRY" => ("₺", 2),
        "VND" => ("₫", 0),
        "CLP" or "ISK" or "PYG" or "UGX" => (null, 0),
        _ => (null, 2),
    };
}
