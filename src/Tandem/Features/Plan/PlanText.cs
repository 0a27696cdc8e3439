using System.Globalization;

namespace Tandem.Features.Plan;

/// <summary>A plan in one sentence, for lists, the CLI and the page.</summary>
public static class PlanText
{
    public static string Summary(PlanContent c)
    {
        var i = c.Inputs;
        var buffer = i.Buffer > 0 ? $" plus a {i.Buffer * 100:0.#} % buffer" : "";
        var lines = c.Lines.Length == 1 ? "" : $", split by {i.Split} over {c.Lines.Length} lines";
        return string.Create(CultureInfo.InvariantCulture,
            $"To book {i.TargetMinor / 100m:N0} {i.Currency} in {i.Period}{buffer}{lines}: {Round(c.Total(4))} won deals from {Round(c.Total(3))} SQLs, "
            + $"{Round(c.Total(2))} SALs, {Round(c.Total(1))} MQLs and {Round(c.Total(0))} inquiries, starting the week of {c.FirstWeek:yyyy-MM-dd}.");
    }

    public static string Round(double v) => Math.Ceiling(v - 1e-9).ToString("N0", CultureInfo.InvariantCulture);
}
