using Tandem.Features.Insight;

namespace Tandem.Components.Insight;

/// <summary>What the Channels page charts and shows first: the money questions (what an opportunity costs, what comes
/// back) before the stage-by-stage detail, which sits behind "more columns".</summary>
public static class ChannelCharts
{
    public static readonly string[] KeyColumns = ["cost", "mqls", "opportunities", "costPerOpportunity", "wonRevenue", "roi"];

    /// <summary>One bar per row that has a value in the column, sorted; the row's label names its currency when the
    /// report has several. Each bar opens the opportunities (or won deals, for ROI) behind it.</summary>
    public static List<Bar> Bars(InsightTable t, string column, bool ascending, Features.Channels.ChannelSet? channels = null)
    {
        string Name(string key) => channels is not null && t.KeyColumns[0].Label == "channel" ? channels.Label(key) : key;
        var i = t.IndexOf(column);
        var kind = t.Columns[i].Kind;
        // A row with no money has no currency (""): it does not make the chart name currencies.
        var currencies = t.Rows.Select(r => r.Keys.Count > 1 ? r.Keys[1] : "").Where(c => c.Length > 0).Distinct().Count();
        var bars = t.Rows.Where(r => r.Values[i] is not null)
            .Select(r => new Bar(currencies > 1 && r.Keys.Count > 1 ? $"{Name(r.Keys[0])} ({r.Keys[1]})" : Name(r.Keys[0]), r.Values[i]!.Value,
                Tandem.Cli.InsightCommand.Format(r.Values[i], kind), InsightPageBase.PageLink(r.Drill[i])));
        return (ascending ? bars.OrderBy(b => b.Value) : bars.OrderByDescending(b => b.Value)).ToList();
    }
}
