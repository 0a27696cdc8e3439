using System.Globalization;
using System.Text.RegularExpressions;
using Tandem.Features.Agreement;

namespace Tandem.Components.Agreement;

/// <summary>
/// The what-if chart, pure: people becoming MQLs per week under the draft and under the active version, with what really
/// happened as a dashed line drawn on top (it often coincides with the active version's line, which would otherwise hide it),
/// and the partial first and current weeks shaded. Rendered to an SVG string on the server (ScottPlot), so the page needs no script and the
/// same picture can go into a report or an email later.
/// </summary>
public static partial class WhatIfChart
{
    // Colours from app.css: the draft is the proposal (accent), the active version the reference (slate).
    private static readonly ScottPlot.Color DraftColour = ScottPlot.Color.FromHex("#2563eb");
    private static readonly ScottPlot.Color ActiveColour = ScottPlot.Color.FromHex("#475569");
    private static readonly ScottPlot.Color ActualColour = ScottPlot.Color.FromHex("#d97706");
    private static readonly ScottPlot.Color PartialColour = ScottPlot.Color.FromHex("#94a3b8").WithAlpha(0.15);

    /// <summary>Text is measured with a font the server has (DejaVu ships with most Linux images); the browser draws it, so
    /// the SVG also names fallbacks for a viewer without that font.</summary>
    private const string Font = "DejaVu Sans";

    public static string Svg(WhatIfResult r, int width = 880, int height = 300)
    {
        var plot = new ScottPlot.Plot();
        var xs = r.Weeks.Select(w => w.Week.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
        if (xs.Length > 0)
        {
            foreach (var w in r.Weeks.Where(w => w.Partial))
            {
                // Half a week either side of the point: the shade covers the week the point stands for.
                var x = w.Week.ToDateTime(TimeOnly.MinValue).ToOADate();
                var span = plot.Add.HorizontalSpan(x - 3.5, x + 3.5);
                span.FillStyle.Color = PartialColour;
                span.LineStyle.Width = 0;
            }
            Line(plot, xs, r.Weeks.Select(w => (double)w.Active).ToArray(), ActiveColour, 2f, $"Active v{r.Active}");
            Line(plot, xs, r.Weeks.Select(w => (double)w.Draft).ToArray(), DraftColour, 2.5f, $"Draft v{r.Draft}");
            // Added last, so drawn on top: dashed and in its own colour, it stays visible where it equals the active line.
            Line(plot, xs, r.Weeks.Select(w => (double)w.Actual).ToArray(), ActualColour, 2f, "Actual MQLs").LinePattern = ScottPlot.LinePattern.Dashed;
            var bottom = plot.Axes.DateTimeTicksBottom();
            // Dates as the rest of the app writes them, not in the server's (invariant, US-style) culture.
            bottom.TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic { LabelFormatter = d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
            plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        }
        var max = r.Weeks.Count == 0 ? 0 : r.Weeks.Max(w => Math.Max(w.Actual, Math.Max(w.Active, w.Draft)));
        // Counts start at zero and have headroom for the legend; an empty replay still draws honest empty axes.
        plot.Axes.SetLimitsY(0, Math.Max(5, max * 1.25));
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true }; // people, not fractions
        plot.Font.Set(Font);
        plot.YLabel("People becoming MQLs per week");
        var svg = Renumber(plot.GetSvgXml(width, height));
        return FontFamily().Replace(svg, m => $"font-family=\"{m.Groups[1].Value}, system-ui, sans-serif\"");
    }

    /// <summary>Skia numbers clip paths with a process-wide counter (cl_9, cl_a…); renumbered from zero so the same result
    /// always gives the same SVG (cacheable, testable), and prefixed so the ids cannot collide with others on the page.</summary>
    private static string Renumber(string svg)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m => "whatif-clip-" + (ids.TryGetValue(m.Value, out var n) ? n : ids[m.Value] = ids.Count));
    }

    [GeneratedRegex("font-family=\"([^\",]+)\"")]
    private static partial Regex FontFamily();

    [GeneratedRegex(@"\bcl_[0-9a-f]+\b")]
    private static partial Regex ClipId();

    private static ScottPlot.Plottables.Scatter Line(ScottPlot.Plot plot, double[] xs, double[] ys, ScottPlot.Color colour, float width, string label)
    {
        var s = plot.Add.ScatterLine(xs, ys);
        s.Color = colour;
        s.LineWidth = width;
        s.LegendText = label;
        return s;
    }
}
