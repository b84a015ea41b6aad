using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using NSec.Cryptography;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Redis;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// The product's signing keys (SPEC §15, table <c>ota_signing_key</c>): the active one signs notices and package
/// descriptions, every key not retired is published. Each instance keeps them in memory under
/// <see cref="SigningKeyGeneration"/>, so a rotation or retirement on any instance is seen by all within a quarter of a
/// second (within a second while Redis is down: the keys are then read again at most once a second). The first use finds
/// or makes the active key; the database lets only one key be active, so instances starting together agree on one.
/// </summary>
public sealed partial class SigningKeys(
    IDbContextFactory<OtaDbContext> contexts, IKeyService keyService, SigningKeyGeneration generation, TimeProvider clock, ILogger<SigningKeys> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Private keys are unwrapped once per instance. A key replaced by a rotation is not disposed: a batch may still be
    // signing with it; the garbage collector frees it.
    private readonly ConcurrentDictionary<string, ActiveSigningKey> _unwrapped = new(StringComparer.Ordinal);
    private Snapshot? _snapshot;

    /// <summary>The key that signs now.</summary>
    /// <exception cref="KeyUnwrapException">Its private key does not unwrap under this instance's master key.</exception>
    public async ValueTask<ActiveSigningKey> ActiveAsync(CancellationToken ct = default) => (await SnapshotAsync(ct)).Active;

    /// <summary>What <c>GET /api/vehicle/v1/signing-keys</c> answers.</summary>
    public async ValueTask<PublishedSigningKeys> PublishedAsync(CancellationToken ct = default) => (await SnapshotAsync(ct)).Published;

    /// <summary>Every key, retired ones included, oldest first.</summary>
    public async Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<SigningKey>().AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct);
    }

    /// <summary>Makes a new key the signing key; the one it replaces stays published until it is retired.</summary>
    /// <returns>The new key, and the id of the key it replaced (null when there was none).</returns>
    public async Task<(SigningKey Created, string? Replaced)> RotateAsync(CancellationToken ct = default)
    {
        var created = NewKey(active: true);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var current = await db.Set<SigningKey>().Where(k => k.ActiveSlot == SigningKey.ActiveMarker).SingleOrDefaultAsync(ct);
        if (current is not null)
        {
            current.ActiveSlot = null;
            await db.SaveChangesAsync(ct);
        }
        db.Add(created);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await generation.BumpAsync();
        LogRotated(created.KeyId, current?.KeyId ?? "none");
        return (created, current?.KeyId);
    }

    /// <summary>Stops publishing a key: what it signed no longer verifies. The active key cannot be retired.</summary>
    public async Task<SigningKeyRetirement> RetireAsync(string keyId, CancellationToken ct = default)
    {
        var id = keyId.Trim().ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.Set<SigningKey>().AsNoTracking().SingleOrDefaultAsync(k => k.KeyId == id, ct);
        if (key is null) return SigningKeyRetirement.NotFound;
        if (key.IsActive) return SigningKeyRetirement.Active;
        if (key.RetiredAt is not null) return SigningKeyRetirement.AlreadyRetired;
        // Conditioned on the row as read: of two retirements at once, one does it.
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.Set<SigningKey>().Where(k => k.Id == key.Id && k.ActiveSlot == null && k.RetiredAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RetiredAt, now), ct) == 0)
            return SigningKeyRetirement.Active;
        await generation.BumpAsync();
        LogRetired(key.KeyId);
        return SigningKeyRetirement.Retired;
    }

    private async ValueTask<Snapshot> SnapshotAsync(CancellationToken ct)
    {
        // The generation is read before the keys: a change committed after this read bumps it, and the next call reloads.
        var current = await generation.CurrentAsync(ct);
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && IsCurrent(snapshot, current)) return snapshot;
        await _gate.WaitAsync(ct);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && IsCurrent(snapshot, current)) return snapshot;
            snapshot = await LoadAsync(current, ct);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsCurrent(Snapshot snapshot, long? current) =>
        SharedGeneration.Holds(snapshot.Generation, current, clock.GetElapsedTime(snapshot.LoadedAt));

    private async Task<Snapshot> LoadAsync(long? current, CancellationToken ct)
    {
        var keys = await PublishedRowsAsync(ct);
        if (!keys.Any(k => k.IsActive))
        {
            await CreateFirstAsync(ct);
            keys = await PublishedRowsAsync(ct);
        }
        var active = keys.Single(k => k.IsActive);
        var signing = _unwrapped.GetOrAdd(active.KeyId, _ => Unwrap(active));
        var published = new PublishedSigningKeys(keys.Select(k => new PublishedSigningKey(
            k.KeyId, k.Algorithm, Convert.ToBase64String(k.PublicKey), k.IsActive, DateTime.SpecifyKind(k.CreatedAt, DateTimeKind.Utc))).ToList());
        return new Snapshot(current, clock.GetTimestamp(), signing, published);
    }

    private async Task<List<SigningKey>> PublishedRowsAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<SigningKey>().AsNoTracking().Where(k => k.RetiredAt == null).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct);
    }

    /// <summary>Makes the first active key; when another instance made one at the same moment, the unique index keeps theirs.</summary>
    private async Task CreateFirstAsync(CancellationToken ct)
    {
        var key = NewKey(active: true);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Add(key);
        try
        {
            await db.SaveChangesAsync(ct);
            await generation.BumpAsync();
            LogCreated(key.KeyId);
        }
        catch (DbUpdateException e) when (e.InnerException is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry })
        {
            LogCreatedElsewhere(key.KeyId);
        }
    }

    private SigningKey NewKey(bool active)
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var privateKey = key.Export(KeyBlobFormat.RawPrivateKey);
        string wrapped;
        try
        {
            wrapped = keyService.Wrap(privateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var now = clock.GetUtcNow().UtcDateTime;
        return new SigningKey
        {
            KeyId = KeyIdOf(publicKey), Algorithm = SigningKey.Ed25519, PublicKey = publicKey, WrappedKey = wrapped,
            ActiveSlot = active ? SigningKey.ActiveMarker : null, CreatedAt = now, ActivatedAt = active ? now : null,
        };
    }

    /// <summary>16 lower-case hex digits of the SHA-256 of the raw public key.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];

    private ActiveSigningKey Unwrap(SigningKey row)
    {
        var raw = keyService.Unwrap(row.WrappedKey);
        try
        {
            var key = Key.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPrivateKey);
            // A row whose halves do not belong together would sign what nobody can verify.
            if (!key.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(row.PublicKey))
                throw new KeyUnwrapException($"Signing key {row.KeyId}: the private key does not match the published public key.");
            return new ActiveSigningKey(row.KeyId, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    private sealed record Snapshot(long? Generation, long LoadedAt, ActiveSigningKey Active, PublishedSigningKeys Published);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {KeyId} created and active")]
    private partial void LogCreated(string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another instance made the first signing key at the same time; key {KeyId} was dropped and theirs is used")]
    private partial void LogCreatedElsewhere(string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key rotated: {KeyId} signs from now on, {Replaced} stays published until it is retired")]
    private partial void LogRotated(string keyId, string replaced);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key {KeyId} retired: no longer published")]
    private partial void LogRetired(string keyId);
}

/// <summary>What <see cref="SigningKeys.RetireAsync"/> did.</summary>
public enum SigningKeyRetirement
{
    Retired,
    NotFound,
    /// <summary>Refused: it is the signing key; rotate first.</summary>
    Active,
    AlreadyRetired,
}
