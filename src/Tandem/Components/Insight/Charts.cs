using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace Tandem.Components.Insight;

/// <summary>One bar of a waterfall: its label, count, the conversion from the bar before, and where it drills to.</summary>
public sealed record WaterfallStep(string Label, double Count, double? Conversion, string? Href);

/// <summary>One bar of a bar chart: its label, length, the text printed beside it and where it drills to.</summary>
public sealed record Bar(string Label, double Value, string Text, string? Href);

/// <summary>A line of a trend chart; <see cref="Hrefs"/>, when given, is where each point drills to.</summary>
public sealed record Series(string Name, IReadOnlyList<double> Values, string Colour, IReadOnlyList<string?>? Hrefs = null);

/// <summary>
/// Charts as inline SVG: no script, no image endpoint, scales with the page and prints. Each bar and each point is a
/// link to the records behind it, like every other number; that is why these are drawn here and not with ScottPlot,
/// which cannot put links in its SVG (decision 0013).
/// </summary>
public static class Charts
{
    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static MarkupString Waterfall(IReadOnlyList<WaterfallStep> steps)
    {
        const int w = 720, barH = 30, gap = 14, left = 110, right = 210;
        var h = steps.Count * (barH + gap) + gap;
        var max = Math.Max(1, steps.Count == 0 ? 1 : steps.Max(s => s.Count));
        var sb = new StringBuilder($"""<svg class="chart waterfall" viewBox="0 0 {w} {h}" role="img" aria-label="Funnel waterfall">""");
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var y = gap + i * (barH + gap);
            var len = (w - left - right) * s.Count / max;
            var x = left + ((w - left - right) - len) / 2; // centred, so the bars narrow like a funnel
            sb.Append($"""<text x="{left - 10}" y="{y + barH * 0.65}" text-anchor="end" class="chart-label">{Esc(s.Label)}</text>""");
            var bar = $"""<rect x="{N(x)}" y="{y}" width="{N(Math.Max(1, len))}" height="{barH}" rx="4" class="chart-bar"><title>{Esc(s.Label)}: {N(s.Count)}</title></rect>""";
            sb.Append(s.Href is { } href ? $"""<a href="{Esc(href)}">{bar}</a>""" : bar);
            var conv = s.Conversion is { } c ? $" · {(c * 100).ToString("0.0", CultureInfo.InvariantCulture)} % from above" : "";
            sb.Append($"""<text x="{w - right + 8}" y="{y + barH * 0.65}" class="chart-value">{s.Count.ToString("N0", CultureInfo.InvariantCulture)}{conv}</text>""");
        }
        return new MarkupString(sb.Append("</svg>").ToString());
    }

    /// <summary>Horizontal bars, one per row, longest scale first; negative values draw from zero to the left is not
    /// needed here (costs, ratios and counts are never negative), so they are clamped to zero.</summary>
    /// <param name="labelWidth">Room for the labels left of the bars; wider for long labels (SLA rejection reasons).</param>
    public static MarkupString Bars(IReadOnlyList<Bar> bars, string label, int labelWidth = 130)
    {
        const int w = 480, barH = 20, gap = 8, right = 90;
        var left = labelWidth;
        var h = bars.Count * (barH + gap) + gap;
        var max = bars.Count == 0 ? 1 : Math.Max(1e-9, bars.Max(b => b.Value));
        var sb = new StringBuilder($"""<svg class="chart bars" viewBox="0 0 {w} {h}" role="img" aria-label="{Esc(label)}">""");
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = gap + i * (barH + gap);
            var len = (w - left - right) * Math.Max(0, b.Value) / max;
            sb.Append($"""<text x="{left - 8}" y="{y + barH * 0.7}" text-anchor="end" class="chart-label">{Esc(Short(b.Label))}<title>{Esc(b.Label)}</title></text>""");
            var rect = $"""<rect x="{left}" y="{y}" width="{N(Math.Max(1, len))}" height="{barH}" rx="3" class="chart-bar"><title>{Esc(b.Label)}: {Esc(b.Text)}</title></rect>""";
            sb.Append(b.Href is { } href ? $"""<a href="{Esc(href)}">{rect}</a>""" : rect);
            sb.Append($"""<text x="{N(left + Math.Max(1, len) + 6)}" y="{y + barH * 0.7}" class="chart-value">{Esc(b.Text)}</text>""");
        }
        return new MarkupString(sb.Append("</svg>").ToString());
    }

    /// <summary>Horizontal bars grouped by category, one bar per series in each group (for example attribution models
    /// side by side per channel). Values and hrefs are per series, indexed like the categories.</summary>
    public static MarkupString GroupedBars(IReadOnlyList<string> categories, IReadOnlyList<Series> series, Func<double, string> text, string label)
    {
        const int w = 720, barH = 8, groupGap = 12, left = 170, right = 130;
        var groupH = series.Count * barH + groupGap;
        var h = categories.Count * groupH + groupGap;
        var max = Math.Max(1e-9, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var sb = new StringBuilder($"""<svg class="chart bars grouped" viewBox="0 0 {w} {h}" role="img" aria-label="{Esc(label)}">""");
        for (var c = 0; c < categories.Count; c++)
        {
            var y0 = groupGap + c * groupH;
            sb.Append($"""<text x="{left - 8}" y="{y0 + series.Count * barH / 2.0 + 4}" text-anchor="end" class="chart-label">{Esc(Short(categories[c]))}<title>{Esc(categories[c])}</title></text>""");
            for (var k = 0; k < series.Count; k++)
            {
                var v = series[k].Values[c];
                var len = (w - left - right) * Math.Max(0, v) / max;
                var y = y0 + k * barH;
                var rect = $"""<rect x="{left}" y="{y}" width="{N(Math.Max(1, len))}" height="{barH - 1}" fill="{series[k].Colour}"><title>{Esc(categories[c])}, {Esc(series[k].Name)}: {Esc(text(v))}</title></rect>""";
                sb.Append(series[k].Hrefs?[c] is { } href ? $"""<a href="{Esc(href)}">{rect}</a>""" : rect);
            }
            var best = series.Max(s => s.Values[c]);
            sb.Append($"""<text x="{N(left + (w - left - right) * Math.Max(0, best) / max + 6)}" y="{y0 + series.Count * barH / 2.0 + 4}" class="chart-value">{Esc(text(best))} max</text>""");
        }
        return new MarkupString(sb.Append("</svg>").ToString());
    }

    private static string Short(string s) => s.Length <= 20 ? s : s[..19] + "…";

    public static MarkupString Trend(IReadOnlyList<string> labels, IReadOnlyList<Series> series) => Trend(labels, series, partialLast: false);

    /// <summary>A line chart; with <paramref name="partialLast"/> the last period is still running, so the segment into it
    /// is dashed and its label says "partial": a month one day old must not read as a collapse.</summary>
    public static MarkupString Trend(IReadOnlyList<string> labels, IReadOnlyList<Series> series, bool partialLast)
    {
        const int w = 720, h = 220, left = 50, bottom = 30, top = 10, right = 30;
        if (labels.Count == 0) return new MarkupString("");
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        double X(int i) => left + (labels.Count == 1 ? 0 : (w - left - right) * i / (double)(labels.Count - 1));
        double Y(double v) => top + (h - top - bottom) * (1 - v / max);
        var sb = new StringBuilder($"""<svg class="chart trend" viewBox="0 0 {w} {h}" role="img" aria-label="Trend">""");
        sb.Append($"""<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" class="chart-axis" />""");
        sb.Append($"""<text x="{left - 6}" y="{top + 10}" text-anchor="end" class="chart-label">{max.ToString("N0", CultureInfo.InvariantCulture)}</text>""");
        var every = Math.Max(1, labels.Count / 8);
        for (var i = 0; i < labels.Count; i += every)
            sb.Append($"""<text x="{N(X(i))}" y="{h - 10}" text-anchor="middle" class="chart-label">{Esc(labels[i])}</text>""");
        var partial = partialLast && labels.Count > 1;
        if (partial)
            sb.Append($"""<text x="{N(X(labels.Count - 1))}" y="{top + 10}" text-anchor="end" class="chart-label chart-partial">{Esc(labels[^1])}: partial</text>""");
        foreach (var s in series)
        {
            var full = partial ? s.Values.Count - 1 : s.Values.Count;
            var points = string.Join(' ', s.Values.Take(full).Select((v, i) => $"{N(X(i))},{N(Y(v))}"));
            sb.Append($"""<polyline points="{points}" fill="none" stroke="{s.Colour}" stroke-width="2"><title>{Esc(s.Name)}</title></polyline>""");
            if (partial && s.Values.Count > 1)
                sb.Append($"""<polyline points="{N(X(full - 1))},{N(Y(s.Values[full - 1]))} {N(X(full))},{N(Y(s.Values[full]))}" fill="none" stroke="{s.Colour}" stroke-width="2" stroke-dasharray="4 4" class="chart-partial-line"><title>{Esc(s.Name)}: the last period is not over</title></polyline>""");
            for (var i = 0; i < s.Values.Count; i++)
            {
                var dot = $"""<circle cx="{N(X(i))}" cy="{N(Y(s.Values[i]))}" r="3.5" fill="{s.Colour}" class="chart-point"><title>{Esc(s.Name)}, {Esc(labels[i])}: {s.Values[i].ToString("N0", CultureInfo.InvariantCulture)}</title></circle>""";
                sb.Append(s.Hrefs?[i] is { } href ? $"""<a href="{Esc(href)}">{dot}</a>""" : dot);
            }
        }
        return new MarkupString(sb.Append("</svg>").ToString());
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    public static readonly string[] Palette = ["#64748b", "#2563eb", "#7c3aed", "#d97706", "#16a34a"];
}
