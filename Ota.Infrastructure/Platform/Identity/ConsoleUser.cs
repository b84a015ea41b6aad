using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Ota.Infrastructure.Platform.Identity;

/// <summary>A console user tried something their role does not allow; the message says what in words.</summary>
public sealed class ConsoleAccessDeniedException(string message) : Exception(message);

/// <summary>
/// The signed-in user of the current circuit. Pages use it to hide and disable what the role may not do; the
/// page-facing services call <see cref="RequireAsync"/> before every change, so a Viewer cannot change anything even
/// by calling a service directly.
/// </summary>
public sealed class ConsoleUser(AuthenticationStateProvider authentication)
{
    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string> NameAsync() => (await PrincipalAsync()).Identity?.Name ?? "";

    /// <summary>The strongest console role the user holds; null when signed out or without one.</summary>
    public async Task<string?> RoleAsync() => RoleOf(await PrincipalAsync());

    public async Task<bool> CanEditAsync() => ConsoleRoles.Satisfies(await RoleAsync(), ConsoleRoles.Operator);

    /// <summary>
    /// The user's name when they hold <paramref name="role"/> or a stronger one; otherwise throws. Callers then begin
    /// an <see cref="Ota.Infrastructure.Platform.Auditing.AuditActor"/> with the name so the change is audited.
    /// </summary>
    public async Task<string> RequireAsync(string role)
    {
        var principal = await PrincipalAsync();
        var name = principal.Identity?.IsAuthenticated == true ? principal.Identity.Name : null;
        if (string.IsNullOrEmpty(name)) throw new ConsoleAccessDeniedException("Sign in to change anything.");
        if (!ConsoleRoles.Satisfies(RoleOf(principal), role))
            throw new ConsoleAccessDeniedException(role == ConsoleRoles.Admin
                ? "Only administrators can do this."
                : "Viewers cannot change anything: ask an administrator for the Operator role.");
        return name;
    }

    public static string? RoleOf(ClaimsPrincipal principal) =>
        ConsoleRoles.All.Reverse().FirstOrDefault(principal.IsInRole);
}
