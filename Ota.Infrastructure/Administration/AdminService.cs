using Microsoft.EntityFrameworkCore;
using Ota.Domain.Operations;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Administration;

/// <summary>The Admin pages' changes and reads: console accounts, open-API keys and the audit log; every method checks the Admin role.</summary>
public sealed class AdminService(ConsoleUser user, ConsoleAccounts accounts, ApiKeyStore apiKeys, AuditTrail audit,
    IDbContextFactory<OtaDbContext> contexts)
{
    public async Task<IReadOnlyList<ConsoleAccounts.Account>> AccountsAsync(CancellationToken ct = default)
    {
        await user.RequireAsync(ConsoleRoles.Admin);
        return await accounts.ListAsync(ct);
    }

    /// <summary>Creates an account (or resets one) with a generated password, shown once to the administrator.</summary>
    public async Task<ConsoleAccounts.Issued> CreateAccountAsync(string email, string role, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Admin);
        using var _ = AuditActor.Begin(actor);
        return await accounts.CreateOrResetAsync(email, role, ct: ct);
    }

    public async Task SetRoleAsync(string accountId, string role, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Admin);
        using var _ = AuditActor.Begin(actor);
        var account = await accounts.FindAsync(accountId, ct) ?? throw new ConsoleCommandException("There is no such account.");
        if (account.Email == actor && role != ConsoleRoles.Admin)
            throw new ConsoleCommandException("You cannot take the Admin role from yourself; another administrator can.");
        await accounts.SetRoleAsync(accountId, role, ct);
    }

    public async Task SetLockedAsync(string accountId, bool locked, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Admin);
        using var _ = AuditActor.Begin(actor);
        var account = await accounts.FindAsync(accountId, ct) ?? throw new ConsoleCommandException("There is no such account.");
        if (locked && account.Email == actor) throw new ConsoleCommandException("You cannot lock your own account.");
        await accounts.SetLockedAsync(accountId, locked, ct);
    }

    public async Task<IReadOnlyList<ApiKey>> ApiKeysAsync(CancellationToken ct = default)
    {
        await user.RequireAsync(ConsoleRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name).ToListAsync(ct);
    }

    /// <summary>Creates an open-API key; the key itself is returned once and only its hash is kept.</summary>
    /// <param name="scopes">What the key may do (<see cref="ApiScopes"/>); null gives it every scope.</param>
    public async Task<(ApiKey Key, string Secret)> CreateApiKeyAsync(string name, bool allowsDiagnostic = false, IReadOnlyCollection<string>? scopes = null,
        CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Admin);
        using var _ = AuditActor.Begin(actor);
        try
        {
            return await apiKeys.CreateAsync(name, allowsDiagnostic, scopes, ct);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new ConsoleCommandException(ex.Message);
        }
    }

    /// <summary>Gives an existing key the Diagnostic source (the after-sales tool's), or takes it away; audited.</summary>
    public async Task SetApiKeyDiagnosticAsync(long id, bool allowed, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Admin);
        using var _ = AuditActor.Begin(actor);
        await apiKeys.SetDiagnosticAsync(id, allowed, ct);
        await audit.RecordAsync(allowed ? "Diagnostic allowed" : "Diagnostic refused", "ApiKey", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { AllowsDiagnostic = !allowed }, new { AllowsDiagnostic = allowed }, ct: ct);
    }

    public async Task RevokeApiKeyAsync(long id, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Admin);
        using var _ = AuditActor.Begin(actor);
        await apiKeys.RevokeAsync(id, ct);
        await audit.RecordAsync("Revoked", "ApiKey", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null, ct: ct);
    }

    public async Task<AuditPage> AuditAsync(AuditFilter filter, PageQuery page, CancellationToken ct = default)
    {
        await user.RequireAsync(ConsoleRoles.Admin);
        return await audit.PageAsync(filter, page.Page, page.Size, ct);
    }

    public async Task<(IReadOnlyList<string> Entities, IReadOnlyList<string> Actions)> AuditVocabularyAsync(CancellationToken ct = default)
    {
        await user.RequireAsync(ConsoleRoles.Admin);
        return await audit.VocabularyAsync(ct);
    }
}
