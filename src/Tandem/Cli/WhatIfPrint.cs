using Spectre.Console;
using Tandem.Features.Agreement;

namespace Tandem.Cli;

/// <summary>A what-if as terminal tables: weekly MQLs with a bar per version, then the sets and what became of them.</summary>
internal static class WhatIfPrint
{
    public static void Print(WhatIfResult r)
    {
        AnsiConsole.MarkupLine($"v{r.Draft} against active v{r.Active}, {r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}: " +
            $"[bold]{r.DraftPeople:N0}[/] people become MQLs under v{r.Draft}, [bold]{r.ActivePeople:N0}[/] under v{r.Active}, {r.ActualPeople:N0} really did " +
            $"({r.DraftMqls:N0}, {r.ActiveMqls:N0} and {r.ActualMqls:N0} MQL events). Weeks count people; * marks a partial week.");
        var max = Math.Max(1, r.Weeks.Max(w => Math.Max(w.Draft, w.Active)));
        var weeks = new Table().AddColumn("Week").AddColumn(new TableColumn($"v{r.Draft}").RightAligned())
            .AddColumn(new TableColumn($"v{r.Active}").RightAligned()).AddColumn(new TableColumn("actual").RightAligned()).AddColumn("");
        foreach (var w in r.Weeks)
            weeks.AddRow($"{w.Week:yyyy-MM-dd}{(w.Partial ? " *" : "")}", $"{w.Draft:N0}", $"{w.Active:N0}", $"{w.Actual:N0}",
                $"[green]{new string('█', w.Draft * 30 / max)}[/]\n[blue]{new string('█', w.Active * 30 / max)}[/]");
        AnsiConsole.Write(weeks);
        var sets = new Table().AddColumn("People").AddColumn(new TableColumn("count").RightAligned())
            .AddColumn(new TableColumn("handed over").RightAligned()).AddColumn(new TableColumn("SAL").RightAligned())
            .AddColumn(new TableColumn("SQL").RightAligned()).AddColumn(new TableColumn("won").RightAligned()).AddColumn("won revenue");
        foreach (var (name, s) in new[] { ($"MQL under v{r.Draft}", r.DraftSet), ($"MQL under v{r.Active}", r.ActiveSet), ("in both", r.Both),
                     ($"only v{r.Draft}", r.OnlyDraft), ($"only v{r.Active}", r.OnlyActive) })
            sets.AddRow(name, $"{s.People:N0}", $"{s.HandedOver:N0}", s.HandedOver == 0 && s.People > 0 ? "not handed over" : Rate(s.Sal, s.HandedOver), Rate(s.Sql, s.People), Rate(s.Won, s.People),
                string.Join(", ", s.WonRevenue.Select(m => $"{m.AmountMinor / 100m:N0} {m.Currency}")));
        AnsiConsole.Write(sets);
    }

    private static string Rate(int n, int of) => of == 0 ? "0" : $"{n:N0} ({100.0 * n / of:0.0} %)";
}
