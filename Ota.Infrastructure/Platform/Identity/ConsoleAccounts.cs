using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Platform.Identity;

/// <summary>An account could not be created or changed; the message says why in words.</summary>
public sealed class ConsoleAccountException(string message) : Exception(message);

/// <summary>
/// Console accounts: create (or reset) with a generated password, set the role, lock and unlock. Used by the
/// command line (<c>./ota admin create</c>), the start-up administrator from the environment and the Users page.
/// Each operation runs in a scope of its own, so no DbContext outlives it.
/// </summary>
public sealed class ConsoleAccounts(IServiceScopeFactory scopes)
{
    public sealed record Account(string Id, string Email, string Role, bool Locked, DateTimeOffset? LockedUntil, int FailedLogins);

    /// <summary>What happened to an account: created or reset, and the password it now has.</summary>
    public sealed record Issued(string Id, string Email, string Role, bool Created, string Password);

    /// <summary>Creates the account, or gives an existing one a new password and the role; unlocks it either way.</summary>
    public async Task<Issued> CreateOrResetAsync(string email, string role, string? password = null, CancellationToken ct = default)
    {
        email = CheckEmail(email);
        CheckRole(role);
        password ??= PasswordGenerator.Generate();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        await EnsureRolesAsync(scope.ServiceProvider);
        var user = await users.FindByEmailAsync(email);
        var created = user is null;
        if (user is null)
        {
            user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, password));
        }
        else
        {
            // Check the new password before removing the old one, so a rejected password leaves the account as it was.
            foreach (var validator in users.PasswordValidators)
                Check(await validator.ValidateAsync(users, user, password));
            if (await users.HasPasswordAsync(user)) Check(await users.RemovePasswordAsync(user));
            Check(await users.AddPasswordAsync(user, password));
            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
        }
        await SetOnlyRoleAsync(users, user, role);
        return new Issued(user.Id, email, role, created, password);
    }

    /// <summary>
    /// The administrator from the environment: created with the given password when missing; an existing account
    /// keeps its password (it may have been changed since) and is given the Admin role.
    /// </summary>
    public async Task<bool> EnsureAdminAsync(string email, string password, CancellationToken ct = default)
    {
        email = CheckEmail(email);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        await EnsureRolesAsync(scope.ServiceProvider);
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            if (!await users.IsInRoleAsync(user, ConsoleRoles.Admin)) await SetOnlyRoleAsync(users, user, ConsoleRoles.Admin);
            return false;
        }
        await CreateOrResetAsync(email, ConsoleRoles.Admin, password, ct);
        return true;
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Persistence.OtaDbContext>();
        var roles = await db.UserRoles.AsNoTracking()
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var now = DateTimeOffset.UtcNow;
        return users.Select(u =>
        {
            var held = roles.Where(r => r.UserId == u.Id).Select(r => r.Name).OrderByDescending(ConsoleRoles.Rank).FirstOrDefault() ?? "(none)";
            return new Account(u.Id, u.Email ?? u.UserName ?? u.Id, held, u.LockoutEnd > now, u.LockoutEnd > now ? u.LockoutEnd : null, u.AccessFailedCount);
        }).ToList();
    }

    public async Task<Account?> FindAsync(string id, CancellationToken ct = default) =>
        (await ListAsync(ct)).FirstOrDefault(a => a.Id == id);

    public async Task SetRoleAsync(string userId, string role, CancellationToken ct = default)
    {
        CheckRole(role);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        await EnsureRolesAsync(scope.ServiceProvider);
        var user = await users.FindByIdAsync(userId) ?? throw new ConsoleAccountException("There is no such account.");
        await SetOnlyRoleAsync(users, user, role);
    }

    /// <summary>Locks the account indefinitely (or unlocks it); a new security stamp ends its open sessions.</summary>
    public async Task SetLockedAsync(string userId, bool locked, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new ConsoleAccountException("There is no such account.");
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
        if (!locked) Check(await users.ResetAccessFailedCountAsync(user));
        else Check(await users.UpdateSecurityStampAsync(user));
    }

    private static async Task SetOnlyRoleAsync(UserManager<IdentityUser> users, IdentityUser user, string role)
    {
        var current = await users.GetRolesAsync(user);
        var remove = current.Where(r => r != role).ToList();
        if (remove.Count > 0) Check(await users.RemoveFromRolesAsync(user, remove));
        if (!current.Contains(role)) Check(await users.AddToRoleAsync(user, role));
        // The new role takes effect in open sessions at their next revalidation.
        Check(await users.UpdateSecurityStampAsync(user));
    }

    private static async Task EnsureRolesAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in ConsoleRoles.All)
            if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)));
    }

    private static string CheckEmail(string email)
    {
        email = email.Trim();
        if (email.Length is 0 or > 200 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
            throw new ConsoleAccountException($"'{email}' is not an e-mail address.");
        return email;
    }

    private static void CheckRole(string role)
    {
        if (!ConsoleRoles.IsKnown(role))
            throw new ConsoleAccountException($"'{role}' is not a console role; use one of {string.Join(", ", ConsoleRoles.All)}.");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new ConsoleAccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
