using System.Xml.Linq;
using Tandem.Components.Agreement;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

public class WhatIfChartTests
{
    private static readonly WhatIfSet NoOne = new(0, 0, 0, 0, 0, []);

    private static WhatIfResult Result(params WhatIfWeek[] weeks) => new(5, 4, new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), weeks.Sum(w => w.Draft), weeks.Sum(w => w.Active), weeks.Sum(w => w.Actual),
        weeks.Sum(w => w.Draft), weeks.Sum(w => w.Active), weeks.Sum(w => w.Actual),
        weeks, NoOne, NoOne, NoOne, NoOne, NoOne);

    [Fact]
    public void Draws_one_line_per_series_with_a_legend_naming_the_versions_as_well_formed_svg()
    {
        var svg = WhatIfChart.Svg(Result(
            new WhatIfWeek(new DateOnly(2026, 1, 5), 12, 9, 9),
            new WhatIfWeek(new DateOnly(2026, 1, 12), 15, 11, 10),
            new WhatIfWeek(new DateOnly(2026, 1, 19), 7, 8, 8),
            new WhatIfWeek(new DateOnly(2026, 1, 26), 20, 14, 13)));

        var root = XElement.Parse(svg);
        Assert.Equal("svg", root.Name.LocalName);
        var text = string.Concat(root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.Contains("Draft v5", text);
        Assert.Contains("Active v4", text);
        Assert.Contains("Actual MQLs", text);
        Assert.Contains("MQLs per week", text);
        // The three colours of the three series appear: the draft's accent, the active version's slate, actual's orange.
        Assert.Contains("#2563EB", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("#475569", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("#D97706", svg, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Is_a_pure_function_of_the_result()
    {
        var r = Result(new WhatIfWeek(new DateOnly(2026, 1, 5), 3, 2, 2), new WhatIfWeek(new DateOnly(2026, 1, 12), 1, 4, 4));
        Assert.Equal(WhatIfChart.Svg(r), WhatIfChart.Svg(r));
        Assert.NotEqual(WhatIfChart.Svg(r), WhatIfChart.Svg(r with { Weeks = [new WhatIfWeek(new DateOnly(2026, 1, 5), 30, 2, 2)] }));
    }

    [Fact]
    public void An_empty_replay_still_draws_axes_and_no_series()
    {
        var svg = WhatIfChart.Svg(Result());
        var root = XElement.Parse(svg);
        Assert.Equal("svg", root.Name.LocalName);
        Assert.DoesNotContain("Draft v5", svg);
    }

    [Fact]
    public void The_actual_line_is_dashed_and_drawn_after_the_versions_so_it_stays_visible_where_they_coincide()
    {
        var svg = WhatIfChart.Svg(Result(new WhatIfWeek(new DateOnly(2026, 1, 5), 3, 2, 2), new WhatIfWeek(new DateOnly(2026, 1, 12), 1, 4, 4)));
        var active = svg.IndexOf("#475569", StringComparison.OrdinalIgnoreCase);
        var draft = svg.IndexOf("#2563EB", StringComparison.OrdinalIgnoreCase);
        var actual = svg.IndexOf("#D97706", StringComparison.OrdinalIgnoreCase);
        Assert.True(actual > active && actual > draft, "the actual line comes later in the SVG, so it is painted on top");
        // Dashed: either an SVG dash array, or (as Skia may write it) the dashes as separate segments of one path.
        var actualPath = XElement.Parse(svg).Descendants()
            .First(e => e.Attributes().Any(a => a.Value.Contains("D97706", StringComparison.OrdinalIgnoreCase)));
        var dashed = actualPath.Attributes().Any(a => a.Name.LocalName.Contains("dasharray") || a.Value.Contains("dasharray"))
            || ((string?)actualPath.Attribute("d") ?? "").Count(c => c is 'M' or 'm') > 1;
        Assert.True(dashed, actualPath.ToString());
    }
}
