namespace Ota.Infrastructure.Platform.Identity;

/// <summary>
/// The console's roles, weakest first. Viewers read everything; Operators also change tasks, strategies, lists and
/// vehicles; Admins also manage users and API keys and see the audit log and the background jobs.
/// </summary>
public static class ConsoleRoles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    /// <summary>For <c>[Authorize(Roles = …)]</c>: the roles that may change things.</summary>
    public const string Editors = Admin + "," + Operator;

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    /// <summary>0 for Viewer, 1 for Operator, 2 for Admin; -1 for anything else.</summary>
    public static int Rank(string? role) => role is null ? -1 : All.ToList().IndexOf(role);

    /// <summary>Whether someone holding <paramref name="held"/> may do what needs <paramref name="required"/>.</summary>
    public static bool Satisfies(string? held, string required) => Rank(held) >= 0 && Rank(held) >= Rank(required);
}
