using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Redis;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// The vehicles' HMAC secrets (SPEC §10), stored wrapped in ota_vehicle (<see cref="VehicleSecretWrapping"/>), kept
/// unwrapped in this process's memory for a short while. Memory rather than Redis: a lookup must work while Redis is
/// down, and a Redis round trip costs as much as the MySQL one it saves. A remembered secret is good while no secret was
/// rotated on any instance (<see cref="VehicleSecretRotations"/>).
/// </summary>
public sealed partial class VehicleSecrets(
    MySqlConnectionFactory connections, VehicleSecretWrapping wrapping, VehicleSecretRotations rotations, IOptions<VehicleApiOptions> options,
    TimeProvider clock, ILogger<VehicleSecrets> logger) : IDisposable
{
    // Unknown VINs are remembered briefly too, so a caller spraying made-up VINs does not cost a query each.
    private static readonly TimeSpan UnknownDuration = TimeSpan.FromSeconds(5);

    // A secret read longer ago than this may have been rotated since: one look at the database before refusing.
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 2_000_000 });

    /// <summary>The secret and when it was read; null when the vehicle does not exist.</summary>
    public async ValueTask<CachedSecret?> GetAsync(string vin, CancellationToken cancellationToken = default)
    {
        var generation = await rotations.CurrentAsync(cancellationToken);
        if (_cache.TryGetValue(vin, out Remembered? remembered) && IsCurrent(remembered!, generation))
            return remembered!.Secret is { Secret: null } ? null : remembered.Secret;
        return await ReadAsync(vin, generation, cancellationToken);
    }

    /// <summary>Reads the secret from the database and caches it (used when a cached secret fails a signature).</summary>
    public async ValueTask<CachedSecret?> ReloadAsync(string vin, CancellationToken cancellationToken = default) =>
        await ReadAsync(vin, await rotations.CurrentAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Gives the vehicle a new random secret, stored wrapped, and returns it; every instance refuses the old one within
    /// half a second. Null when there is no such vehicle.
    /// </summary>
    public async Task<string?> RotateAsync(string vin, CancellationToken cancellationToken = default)
    {
        var secret = VehicleSecretWrapping.Generate();
        int changed;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            changed = await Sql.ExecAsync(connection, null, "UPDATE ota_vehicle SET secret = @secret, updated_at = @now WHERE vin = @vin",
                cancellationToken, ("@secret", wrapping.Wrap(secret)), ("@now", clock.GetUtcNow().UtcDateTime), ("@vin", vin));
        }
        if (changed == 0) return null;
        _cache.Remove(vin);
        await rotations.BumpAsync();
        return secret;
    }

    private bool IsCurrent(Remembered remembered, long? generation) =>
        SharedGeneration.Holds(remembered.Generation, generation, clock.GetUtcNow() - remembered.Secret.ReadAt);

    // The generation is read before the row, so a rotation committed after the read leaves the entry behind its generation.
    private async ValueTask<CachedSecret?> ReadAsync(string vin, long? generation, CancellationToken cancellationToken)
    {
        string? stored;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        await using (var command = new MySqlCommand("SELECT secret FROM ota_vehicle WHERE vin = @vin", connection))
        {
            command.Parameters.AddWithValue("@vin", vin);
            stored = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        var entry = new CachedSecret(Unwrap(vin, stored), clock.GetUtcNow());
        var duration = entry.Secret is null ? UnknownDuration : options.Value.SecretCacheDuration;
        _cache.Set(vin, new Remembered(entry, generation), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });
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

    /// <summary>The secret; null for no vehicle, and for a stored value that does not unwrap (the vehicle is refused).</summary>
    private string? Unwrap(string vin, string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try
        {
            return wrapping.Unwrap(stored);
        }
        catch (KeyUnwrapException e)
        {
            LogUnwrapFailed(vin, VehicleSecretWrapping.IsWrapped(stored) ? e.Message : "it is not wrapped");
            return null;
        }
    }

    public void Dispose() => _cache.Dispose();

    private sealed record Remembered(CachedSecret Secret, long? Generation);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The stored secret of vehicle {Vin} cannot be unwrapped ({Reason}); its requests are refused until ./ota vehicle rotate-secret gives it a new one")]
    private partial void LogUnwrapFailed(string vin, string reason);
}

public sealed record CachedSecret(string? Secret, DateTimeOffset ReadAt);
