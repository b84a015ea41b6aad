using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// The vehicles' HMAC secrets (SPEC §10), from ota_vehicle, kept in this process's memory for a short while. Memory
/// rather than Redis: a lookup must work while Redis is down, and a Redis round trip costs as much as the MySQL one it saves.
/// </summary>
public sealed class VehicleSecrets(MySqlConnectionFactory connections, IOptions<VehicleApiOptions> options, TimeProvider clock) : IDisposable
{
    // Unknown VINs are remembered briefly too, so a caller spraying made-up VINs does not cost a query each.
    private static readonly TimeSpan UnknownDuration = TimeSpan.FromSeconds(5);

    // A secret read longer ago than this may have been rotated since: one look at the database before refusing.
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 2_000_000 });

    /// <summary>The secret and when it was read; null when the vehicle does not exist.</summary>
    public async ValueTask<CachedSecret?> GetAsync(string vin, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(vin, out CachedSecret? cached)) return cached is { Secret: null } ? null : cached;
        return await ReloadAsync(vin, cancellationToken);
    }

    /// <summary>Reads the secret from the database and caches it (used when a cached secret fails a signature).</summary>
    public async ValueTask<CachedSecret?> ReloadAsync(string vin, CancellationToken cancellationToken = default)
    {
        string? secret;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        await using (var command = new MySqlCommand("SELECT secret FROM ota_vehicle WHERE vin = @vin", connection))
        {
            command.Parameters.AddWithValue("@vin", vin);
            secret = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        var entry = new CachedSecret(string.IsNullOrEmpty(secret) ? null : secret, clock.GetUtcNow());
        var duration = entry.Secret is null ? UnknownDuration : options.Value.SecretCacheDuration;
        _cache.Set(vin, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });
        return entry.Secret is null ? null : entry;
    }

    /// <summary>
    /// Whether the vehicle's secret passes <paramref name="matches"/>; a cached secret that fails is read again once (it
    /// may have been rotated), so a new secret works at once. False for an unknown VIN.
    /// </summary>
    public async ValueTask<bool> MatchesAsync(string vin, Func<string, bool> matches, CancellationToken cancellationToken = default)
    {
        var secret = await GetAsync(vin, cancellationToken);
        if (secret?.Secret is null) return false;
        if (matches(secret.Secret)) return true;
        if (clock.GetUtcNow() - secret.ReadAt <= FreshFor) return false;
        secret = await ReloadAsync(vin, cancellationToken);
        return secret?.Secret is { } reloaded && matches(reloaded);
    }

    public void Dispose() => _cache.Dispose();
}

public sealed record CachedSecret(string? Secret, DateTimeOffset ReadAt);
