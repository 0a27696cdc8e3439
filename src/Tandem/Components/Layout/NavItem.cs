using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;

namespace Tandem.Components.Layout;

/// <summary>
/// A sidebar link that stays dark when a more specific entry of the sidebar matches the page: on /handoff/dashboard
/// only "SLA dashboard" lights up, not "Handoff" (/handoff) as well. NavLinkMatch.Prefix alone cannot say that, and
/// NavLinkMatch.All would leave "Handoff" dark on its own lead pages (/handoff/12).
/// </summary>
public sealed class NavItem : NavLink
{
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The hrefs of the other entries that sit under this one and win when they match.</summary>
    [Parameter] public IReadOnlyList<string> Except { get; set; } = [];

    protected override bool ShouldMatch(string uriAbsolute)
    {
        if (!base.ShouldMatch(uriAbsolute)) return false;
        var path = "/" + Navigation.ToBaseRelativePath(uriAbsolute);
        return !Except.Any(e => IsUnder(path, e));
    }

    /// <summary>Pure: the page at <paramref name="path"/> (query ignored) is <paramref name="href"/> or below it, by whole segments.</summary>
    public static bool IsUnder(string path, string href)
    {
        var p = path.Split('?', '#')[0].TrimEnd('/');
        var h = href.Split('?', '#')[0].TrimEnd('/');
        return p.Equals(h, StringComparison.OrdinalIgnoreCase) || p.StartsWith(h + "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Of <paramref name="entries"/>, those strictly under <paramref name="href"/>: what a parent entry yields to.</summary>
    public static string[] Below(string href, IEnumerable<string> entries) =>
        [.. entries.Where(e => !e.TrimEnd('/').Equals(href.TrimEnd('/'), StringComparison.OrdinalIgnoreCase) && IsUnder(e, href))];
}
