namespace Tandem.Data;

/// <summary>Money is stored as long minor units plus an ISO currency code; SQLite cannot sum decimals in the database.</summary>
public static class Money
{
    /// <summary>The largest amount one record holds: 10 trillion in major units (10^15 minor). Sums of many such amounts
    /// still fit a long, so totals never overflow (docs/guide/import.md).</summary>
    public const long MaxMinor = 1_000_000_000_000_000;

    /// <summary>Why <paramref name="minor"/> cannot be stored as an amount, or null.</summary>
    public static string? AmountProblem(long? minor, string field) => minor switch
    {
        < 0 => $"'{field}' cannot be negative.",
        > MaxMinor => $"'{field}' is at most {MaxMinor:N0} minor units (10 trillion).",
        _ => null,
    };

    public static bool IsCurrency(string code) => code.Length == 3 && code.All(char.IsAsciiLetter);

    public static long ToMinor(decimal major) => (long)Math.Round(major * 100m, MidpointRounding.AwayFromZero);

    public static decimal ToMajor(long minor) => minor / 100m;
}
