using Tandem.Data;

namespace Tandem.Components;

/// <summary>Which page "/" opens for a role: the Revenue page for Admin and Viewer by default (the CEO/CFO view), the funnel
/// for the teams who work it. Home:RevenueFor (TANDEM_HOME__REVENUEFOR__0=Marketing …) replaces the list.</summary>
public static class Home
{
    public static readonly string[] DefaultRevenueFor = [nameof(Role.Admin), nameof(Role.Viewer)];

    public static bool IsRevenue(IConfiguration config, Role? role)
    {
        var roles = config.GetSection("Home:RevenueFor").Get<string[]>() is { Length: > 0 } r ? r : DefaultRevenueFor;
        return role is { } x && roles.Contains(x.ToString(), StringComparer.OrdinalIgnoreCase);
    }
}
