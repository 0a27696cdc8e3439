using System.Globalization;

namespace Tandem.Components.Plan;

/// <summary>Money and shares as the Revenue pages write them.</summary>
public static class Figures
{
    public static string Major(double minor, string? currency) =>
        (minor / 100).ToString("N0", CultureInfo.InvariantCulture) + (currency is null ? "" : " " + currency);

    public static string Amount(decimal major, string? currency) => major.ToString("N0", CultureInfo.InvariantCulture) + (currency is null ? "" : " " + currency);

    public static string Pct(double v, bool signed = false) =>
        double.IsNaN(v) ? "–" : (v * 100).ToString(signed ? "+0.0;−0.0;0.0" : "0.0", CultureInfo.InvariantCulture) + " %";

    public static string Count(double v) => Math.Round(v).ToString("N0", CultureInfo.InvariantCulture);

    public static string StatusClass(string status) => status switch { "behind" => "pace-behind", "ahead" => "pace-ahead", _ => "pace-on" };
}
