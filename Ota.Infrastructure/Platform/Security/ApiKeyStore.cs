using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Ota.Domain.Operations;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>Open-API keys: created once (the key is shown once), stored as a SHA-256 hash, revocable.</summary>
public sealed class ApiKeyStore(IDbContextFactory<OtaDbContext> contexts, IMemoryCache cache, ApiKeyRevocations revocations, TimeProvider clock)
{
    /// <summary>A checked key is remembered this long, so the open API does not query MySQL on every call.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>The key a call was made with: its name, what it may do (<see cref="ApiScopes"/>).</summary>
    public sealed record Caller(long KeyId, string Name, bool AllowsDiagnostic, IReadOnlySet<string> Scopes)
    {
        public bool Holds(string scope) => Scopes.Contains(scope);
    }

    /// <param name="scopes">What the key may do; null gives it every scope (SPEC §16).</param>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, bool allowsDiagnostic = false, IReadOnlyCollection<string>? scopes = null,
        CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100) throw new ArgumentException("An API key needs a name of 1 to 100 characters.", nameof(name));
        scopes ??= ApiScopes.All;
        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.All.Contains(s)))
            throw new ArgumentException($"An API key needs one or more of the scopes {string.Join(", ", ApiScopes.All)}.", nameof(scopes));
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.ApiKeys.AnyAsync(k => k.Name == name, ct))
            throw new InvalidOperationException($"An API key named '{name}' already exists.");
        var generated = ApiKeyHasher.Generate();
        var key = new ApiKey
        {
            Name = name, KeyHash = generated.Hash, Prefix = generated.DisplayPrefix, CreatedAt = clock.GetUtcNow().UtcDateTime, AllowsDiagnostic = allowsDiagnostic,
            Scopes = ApiScopes.Format(scopes),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return (key, generated.Key);
    }

    /// <summary>The caller a presented key belongs to; null for a missing, unknown or revoked key.</summary>
    public async Task<Caller?> AuthenticateAsync(string? presented, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(presented) || presented.Length > 200) return null;
        var hash = ApiKeyHasher.Hash(presented.Trim());
        // Remembered while no key was revoked or changed on any instance (ApiKeyRevocations); nothing is remembered while
        // that cannot be known.
        var generation = await revocations.CurrentAsync(ct);
        if (generation is { } g && cache.TryGetValue(("api-key", hash), out Remembered? remembered) && remembered!.Generation == g) return remembered.Caller;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, ct);
        var caller = key is null ? null : new Caller(key.Id, key.Name, key.AllowsDiagnostic, ApiScopes.Read(key.Scopes));
        if (generation is { } current) cache.Set(("api-key", hash), new Remembered(current, caller), CacheFor);
        if (key is not null)
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, clock.GetUtcNow().UtcDateTime), ct);
        return caller;
    }

    /// <summary>Allows or refuses the key the Diagnostic source; every instance applies it within a quarter of a second.</summary>
    public async Task SetDiagnosticAsync(long id, bool allowed, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.AllowsDiagnostic, allowed), ct);
        await revocations.BumpAsync();
    }

    /// <summary>Revokes a key; every instance refuses it within a quarter of a second (SPEC §15: within 2 s).</summary>
    public async Task RevokeAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, clock.GetUtcNow().UtcDateTime), ct);
        await revocations.BumpAsync();
    }

    private sealed record Remembered(long Generation, Caller? Caller);
}
