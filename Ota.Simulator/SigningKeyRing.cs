using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Simulator;

/// <summary>
/// The product's public signing keys as the simulated fleet holds them (SPEC §15), and the checks a vehicle makes with
/// them before it acts: a notice's signature over its fields, a description's over the bytes received. The keys are
/// fetched from <c>GET /api/vehicle/v1/signing-keys</c> (asked with one vehicle's credentials) at start, and again when
/// a notice or a description names a key not known yet, at most once a second (so forged key ids cannot make the fleet
/// hammer the API). A fetch replaces the whole set: a retired key stops verifying.
/// </summary>
/// <param name="caller">The vehicle whose credentials the keys are asked with; null: none (an empty fleet), nothing verifies.</param>
public sealed class SigningKeyRing(VehicleApiClient api, SimulatedVehicle? caller)
{
    private static readonly TimeSpan RefetchAfter = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, VerifyingKey> _keys = new(StringComparer.Ordinal);
    private Stopwatch? _fetched;
    private string? _fetchError;

    /// <summary>Fetches the keys now; returns why that failed, or null.</summary>
    public async Task<string?> RefreshAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await FetchAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Why the notice must be refused (unsigned, an unknown key, a signature that does not match), or null when it is genuine.</summary>
    public async ValueTask<string?> RefuseNoticeAsync(NoticeMessage notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.KeyId is null || notice.Signature is null) return "unsigned";
        var key = await FindAsync(notice.KeyId, ct);
        if (key is null) return Unknown(notice.KeyId);
        return NoticeSignature.Verify(notice, key) ? null : $"the signature does not match (key {notice.KeyId})";
    }

    /// <summary>Why a description answer must be refused, or null when its signature covers the bytes received.</summary>
    public async ValueTask<string?> RefuseDescriptionAsync(VehicleApiClient.Answer answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.KeyId is null || answer.Signature is null) return $"unsigned (no {BodySignature.KeyIdHeader} and {BodySignature.SignatureHeader})";
        var key = await FindAsync(answer.KeyId, ct);
        if (key is null) return Unknown(answer.KeyId);
        return key.Verify(answer.Bytes, answer.Signature) ? null : $"the body signature does not match (key {answer.KeyId})";
    }

    private string Unknown(string keyId) =>
        $"key {(keyId.Length > 40 ? keyId[..40] + "…" : keyId)} is not published{(_fetchError is null ? "" : $" (the keys could not be fetched: {_fetchError})")}";

    private async ValueTask<VerifyingKey?> FindAsync(string keyId, CancellationToken ct)
    {
        if (Volatile.Read(ref _keys).TryGetValue(keyId, out var key)) return key;
        await _gate.WaitAsync(ct);
        try
        {
            if (_keys.TryGetValue(keyId, out key)) return key;
            if (_fetched is { } fetched && fetched.Elapsed < RefetchAfter) return null;
            await FetchAsync(ct);
            return _keys.GetValueOrDefault(keyId);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> FetchAsync(CancellationToken ct)
    {
        _fetched = Stopwatch.StartNew();
        if (caller is null) return _fetchError = "no vehicle to ask with";
        try
        {
            var answer = await api.SigningKeysAsync(caller, ct);
            if (answer.Status != HttpStatusCode.OK)
                return _fetchError = $"signing-keys answered {(int)answer.Status}: {(answer.Raw.Length > 200 ? answer.Raw[..200] : answer.Raw)}";
            var published = JsonSerializer.Deserialize(answer.Bytes, SigningKeyJsonContext.Default.PublishedSigningKeys)
                ?? throw new JsonException("null");
            var keys = new Dictionary<string, VerifyingKey>(StringComparer.Ordinal);
            foreach (var entry in published.Keys)
                if (VerifyingKey.From(entry) is { } key) keys[key.KeyId] = key;
            Volatile.Write(ref _keys, keys);
            return _fetchError = null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return _fetchError = $"signing-keys: {e.Message}";
        }
    }
}
