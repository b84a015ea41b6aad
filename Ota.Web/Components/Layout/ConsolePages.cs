using MudBlazor;

namespace Ota.Web.Components.Layout;

/// <summary>The console's pages (SPEC §9) as the navigation shows them.</summary>
public static class ConsolePages
{
    /// <param name="AdminOnly">Shown to (and reachable by) administrators only.</param>
    public sealed record Page(string Group, string Title, string Href, string Icon, bool External = false, bool AdminOnly = false);

    public static readonly IReadOnlyList<Page> All =
    [
        new("Campaigns", "Dashboard", "/", Icons.Material.Filled.Dashboard),
        new("Campaigns", "Tasks", "/tasks", Icons.Material.Filled.ListAlt),
        new("Campaigns", "New task", "/tasks/new", Icons.Material.Filled.AddTask),
        new("Campaigns", "Sampling tasks", "/sampling", Icons.Material.Filled.Science),
        new("Catalog", "Strategies", "/strategies", Icons.Material.Filled.AccountTree),
        new("Catalog", "Packages and baselines", "/packages", Icons.Material.Filled.Inventory2),
        new("Fleet", "Vehicles", "/vehicles", Icons.Material.Filled.DirectionsCar),
        new("Fleet", "Fleet versions", "/fleet-versions", Icons.Material.Filled.BarChart),
        new("Fleet", "Black and white lists", "/lists", Icons.Material.Filled.Rule),
        new("Operations", "Notifications", "/notifications", Icons.Material.Filled.Notifications),
        new("Operations", "Work orders", "/work-orders", Icons.Material.Filled.Build),
        new("Administration", "API keys", "/api-keys", Icons.Material.Filled.Key, AdminOnly: true),
        new("Administration", "Users", "/users", Icons.Material.Filled.People, AdminOnly: true),
        new("Administration", "Audit log", "/audit", Icons.Material.Filled.History, AdminOnly: true),
        new("Administration", "Background jobs", "/hangfire", Icons.Material.Filled.Schedule, External: true, AdminOnly: true),
    ];

    public static IEnumerable<IGrouping<string, Page>> GroupsFor(bool admin) => All.Where(p => admin || !p.AdminOnly).GroupBy(p => p.Group);
}
