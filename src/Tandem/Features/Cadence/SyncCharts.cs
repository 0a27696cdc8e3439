namespace Tandem.Features.Cadence;

/// <summary>
/// The email's charts: each KPI's eight-week trend as a small PNG drawn with ScottPlot (as the what-if chart is). Mail clients
/// do not run SVG or CSS layout reliably, so the email carries pictures, inline by Content-Id (decision 0093); the same
/// figures go into the image's alt text for clients that block images.
/// </summary>
public static class SyncCharts
{
    public const int Width = 120, Height = 28;
    private static readonly ScottPlot.Color Bar = ScottPlot.Color.FromHex("#4a7ab0");
    private static readonly ScottPlot.Color Current = ScottPlot.Color.FromHex("#1f4e79");
    private static readonly ScottPlot.Color Empty = ScottPlot.Color.FromHex("#c8d3df");

    /// <summary>The trend as a PNG: one bar per week, the last (this week) darker; a week with no data is a thin grey stub,
    /// so a gap reads as a gap and not as a zero.</summary>
    public static byte[] Trend(IReadOnlyList<double?> trend)
    {
        var plot = new ScottPlot.Plot();
        var max = trend.Max() is { } m && m > 0 ? m : 1;
        var bars = trend.Select((v, i) => new ScottPlot.Bar
        {
            Position = i,
            Value = v is { } x ? Math.Max(x, max * 0.03) : max * 0.03,
            FillColor = v is null ? Empty : i == trend.Count - 1 ? Current : Bar,
            LineWidth = 0,
            Size = 0.75,
        }).ToList();
        plot.Add.Bars(bars);
        plot.HideAxesAndGrid();
        plot.Layout.Frameless();
        plot.Axes.SetLimits(-0.5, Math.Max(trend.Count, 1) - 0.5, 0, max);
        return plot.GetImageBytes(Width, Height, ScottPlot.ImageFormat.Png);
    }

    /// <summary>What the picture shows, in words: the alt text and tooltip.</summary>
    public static string Describe(string unit, IReadOnlyList<double?> trend) =>
        "Last " + trend.Count + " weeks, oldest first: " + string.Join(", ", trend.Select(v => SyncOutline.Value(unit, v)));

    /// <summary>The PNG as a data URI; <see cref="Notifications.InlineImages"/> turns it into a Content-Id part when sending.</summary>
    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);
}
