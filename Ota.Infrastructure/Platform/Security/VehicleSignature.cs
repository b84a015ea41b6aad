using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// Vehicle request signing (SPEC §10): <c>X-Ota-Signature</c> = lower-case hex HMAC-SHA256(secret, timestamp + "\n" + raw body),
/// with <c>X-Ota-Timestamp</c> in Unix seconds.
/// </summary>
public static class VehicleSignature
{
    public const string VinHeader = "X-Ota-Vin";
    public const string TimestampHeader = "X-Ota-Timestamp";
    public const string SignatureHeader = "X-Ota-Signature";

    public static readonly TimeSpan DefaultMaxSkew = TimeSpan.FromSeconds(300);

    private const int MacBytes = 32;

    /// <summary>
    /// A vehicle's MQTT password (SPEC §15): lower-case hex HMAC-SHA256(secret, "mqtt\n" + VIN), the request signature
    /// with "mqtt" as its timestamp and the VIN as its body. It is derived so the secret itself never crosses the wire.
    /// </summary>
    public static string MqttPassword(string secret, string vin) => Compute(secret, "mqtt", Encoding.UTF8.GetBytes(vin));

    /// <summary>Compares a presented MQTT password with the expected one in constant time.</summary>
    public static bool IsMqttPassword(string secret, string vin, ReadOnlySpan<byte> presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(MqttPassword(secret, vin)), presented);

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        Span<byte> mac = stackalloc byte[MacBytes];
        ComputeMac(secret, timestamp, rawBody, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Checks headers and body against the vehicle's secret, allowing <see cref="DefaultMaxSkew"/>.</summary>
    public static SignatureCheck Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> rawBody, TimeProvider clock) =>
        Verify(secret, timestamp, signature, rawBody, clock, DefaultMaxSkew);

    /// <summary>Checks headers and body against the vehicle's secret; the signature comparison takes constant time.</summary>
    public static SignatureCheck Verify(
        string secret, string? timestamp, string? signature, ReadOnlySpan<byte> rawBody, TimeProvider clock, TimeSpan maxSkew)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(clock);

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return SignatureCheck.MissingHeaders;

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
            return SignatureCheck.BadTimestamp;

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        // Compare in seconds without overflow: a huge timestamp must be "skewed", not wrap around.
        if (unixSeconds > now + (long)maxSkew.TotalSeconds || unixSeconds < now - (long)maxSkew.TotalSeconds)
            return SignatureCheck.Skewed;

        Span<byte> presented = stackalloc byte[MacBytes];
        if (signature.Length != MacBytes * 2
            || Convert.FromHexString(signature, presented, out _, out var written) != OperationStatus.Done
            || written != MacBytes)
            return SignatureCheck.BadSignature;

        Span<byte> expected = stackalloc byte[MacBytes];
        ComputeMac(secret, timestamp, rawBody, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? SignatureCheck.Ok : SignatureCheck.BadSignature;
    }

    private static void ComputeMac(string secret, string timestamp, ReadOnlySpan<byte> rawBody, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp));
        hmac.AppendData("\n"u8);
        hmac.AppendData(rawBody);
        hmac.GetHashAndReset(destination);
    }
}
