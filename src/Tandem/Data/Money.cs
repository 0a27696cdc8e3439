namespace Tandem.Data;

/// <summary>Money is stored as long minor units plus an ISO currency code; SQLite cannot sum decimals in the database.</summary>
public static class Money
{
    public static bool IsCurrency(string code) => code.Length == 3 && code.All(char.IsAsciiLetter);

    public static long ToMinor(decimal major) => (long)Math.Round(major * 100m, MidpointRounding.AwayFromZero);

    public static decimal ToMajor(long minor) => minor / 100m;
}
