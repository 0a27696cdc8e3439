using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;
using Tandem.Components.Insight;
using Tandem.Features.Learning;

namespace Tandem.Components.Learning;

/// <summary>
/// The model report's two charts, drawn at the size of a half-width card (a 360-unit view box, so the 12-unit labels stay
/// 11–14 px from a phone to a desktop; Insight's 720-unit trend shrank them to 5–8 px there), with both axes named and a
/// legend, so a reader knows which line is the model without hovering.
/// </summary>
public static class LearningCharts
{
    private const int W = 360, H = 240, Left = 40, Right = 12, Top = 30, Bottom = 44;
    private static string Model => Charts.Palette[1];
    private static string Reference => Charts.Palette[0];

    /// <summary>Cumulative gains: the share of all positives found in the best-scored x % of the test people, against random.</summary>
    public static MarkupString Gains(IReadOnlyList<Decile> deciles)
    {
        var xs = new List<double> { 0 };
        var ys = new List<double> { 0 };
        foreach (var d in deciles) { xs.Add(d.Number * 10); ys.Add(d.CumulativeGain * 100); }
        var sb = Frame("Cumulative gains: share of positives in the best-scored people", 100, 100,
            "% of test people, best scored first", "% of positives");
        Line(sb, [(0, 0), (100, 100)], 100, 100, Reference, dashed: true, "random: no model");
        Line(sb, [.. xs.Zip(ys)], 100, 100, Model, dashed: false, null,
            [.. xs.Select((x, i) => $"best {x:0} %: {ys[i]:0} % of positives")]);
        Legend(sb, ("model", Model, false), ("random", Reference, true));
        return new MarkupString(sb.Append("</svg>").ToString());
    }

    /// <summary>Calibration: each bin's mean predicted probability against the share that reached the outcome; the diagonal is
    /// a perfectly calibrated model. Both axes share one scale, rounded up to a tenth, so a model that only predicts low
    /// probabilities is not squeezed into a corner.</summary>
    public static MarkupString Calibration(IReadOnlyList<CalibrationBin> bins)
    {
        var used = bins.Where(b => b.Count > 0).ToList();
        var top = Math.Max(10, Math.Ceiling(used.Select(b => Math.Max(b.MeanPredicted, b.Observed) * 100).DefaultIfEmpty(0).Max() / 10) * 10);
        var sb = Frame("Calibration: predicted against observed", top, top, "mean predicted, %", "observed, %");
        Line(sb, [(0, 0), (top, top)], top, top, Reference, dashed: true, "perfect calibration");
        Line(sb, [.. used.Select(b => (b.MeanPredicted * 100, b.Observed * 100))], top, top, Model, dashed: false, null,
            [.. used.Select(b => $"predicted {b.From * 100:0}–{b.To * 100:0} %: {b.Count:N0} people, mean {b.MeanPredicted * 100:0.0} %, observed {b.Observed * 100:0.0} %")]);
        Legend(sb, ("model", Model, false), ("perfect", Reference, true));
        return new MarkupString(sb.Append("</svg>").ToString());
    }

    private static double X(double v, double max) => Left + (W - Left - Right) * v / max;
    private static double Y(double v, double max) => Top + (H - Top - Bottom) * (1 - v / max);

    private static StringBuilder Frame(string label, double xMax, double yMax, string xTitle, string yTitle)
    {
        var sb = new StringBuilder($"""<svg class="learn-chart" viewBox="0 0 {W} {H}" role="img" aria-label="{Esc(label)}">""");
        for (var k = 0; k <= 4; k++)
        {
            var v = yMax * k / 4;
            var y = N(Y(v, yMax));
            sb.Append($"""<line x1="{Left}" y1="{y}" x2="{W - Right}" y2="{y}" class="{(k == 0 ? "chart-axis" : "chart-grid")}" />""");
            sb.Append($"""<text x="{Left - 5}" y="{N(Y(v, yMax) + 4)}" text-anchor="end" class="chart-label">{v:0}</text>""");
        }
        for (var k = 0; k <= 5; k++)
        {
            var v = xMax * k / 5;
            sb.Append($"""<text x="{N(X(v, xMax))}" y="{H - Bottom + 16}" text-anchor="middle" class="chart-label">{v:0}</text>""");
        }
        sb.Append($"""<text x="{N((Left + W - Right) / 2.0)}" y="{H - 6}" text-anchor="middle" class="chart-label">{Esc(xTitle)}</text>""");
        sb.Append($"""<text x="{Left - 32}" y="{Top - 14}" class="chart-label">{Esc(yTitle)}</text>""");
        return sb;
    }

    private static void Line(StringBuilder sb, IReadOnlyList<(double X, double Y)> points, double xMax, double yMax, string colour, bool dashed,
        string? title, IReadOnlyList<string>? dots = null)
    {
        var p = string.Join(' ', points.Select(q => $"{N(X(q.X, xMax))},{N(Y(Math.Min(q.Y, yMax), yMax))}"));
        sb.Append($"""<polyline points="{p}" fill="none" stroke="{colour}" stroke-width="2"{(dashed ? " stroke-dasharray=\"5 4\"" : "")}>""");
        sb.Append(title is null ? "" : $"<title>{Esc(title)}</title>").Append("</polyline>");
        if (dots is null) return;
        for (var i = 0; i < points.Count; i++)
            sb.Append($"""<circle cx="{N(X(points[i].X, xMax))}" cy="{N(Y(Math.Min(points[i].Y, yMax), yMax))}" r="3.5" fill="{colour}" class="chart-point"><title>{Esc(dots[i])}</title></circle>""");
    }

    private static void Legend(StringBuilder sb, params (string Name, string Colour, bool Dashed)[] items)
    {
        var x = W - Right - 150.0;
        foreach (var (name, colour, dashed) in items)
        {
            sb.Append($"""<line x1="{N(x)}" y1="{Top - 18}" x2="{N(x + 18)}" y2="{Top - 18}" stroke="{colour}" stroke-width="2"{(dashed ? " stroke-dasharray=\"5 4\"" : "")} />""");
            sb.Append($"""<text x="{N(x + 22)}" y="{Top - 14}" class="chart-label">{Esc(name)}</text>""");
            x += 75;
        }
    }

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
