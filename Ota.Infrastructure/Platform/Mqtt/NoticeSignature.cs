using System.Buffers;
using System.Globalization;
using System.Text;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The signature a notice carries (SPEC §15): Ed25519 by the active signing key over a canonical text the vehicle
/// rebuilds from the fields it parsed, in UTF-8:
/// <c>"ota-notice-v1\n" + messageId + "\n" + taskId + "\n" + vin + "\n" + version + "\n" + (packageId or "") + "\n" +
/// upgradeType + "\n" + generation + "\n" + (kind or "")</c>, the numbers in decimal. No field may contain a line break,
/// so fields cannot be shifted across the separators. Built on the stack: signing a notice allocates only its base64,
/// verifying one nothing.
/// </summary>
public static class NoticeSignature
{
    public const string Prefix = "ota-notice-v1\n";

    private const int OnStack = 512;
    private const int Fields = 8;
    private const int LongDigits = 20;

    /// <summary>The base64 signature of a notice with these fields.</summary>
    /// <exception cref="ArgumentException">A field contains a line break.</exception>
    public static string Sign(ActiveSigningKey key, string messageId, long taskId, string vin, string version, long? packageId,
        string upgradeType, string generation, string? kind)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Writable(messageId, vin, version, upgradeType, generation, kind))
            throw new ArgumentException($"Notice {messageId.ReplaceLineEndings(" ")}: a field contains a line break; it cannot be signed.");
        return WithCanonical(messageId, taskId, vin, version, packageId, upgradeType, generation, kind, key,
            static (canonical, key) => key.Sign(canonical));
    }

    /// <summary>Whether the notice carries a signature of its fields by <paramref name="key"/> (its <c>keyId</c> is the caller's to match).</summary>
    public static bool Verify(NoticeMessage notice, VerifyingKey key)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(key);
        if (notice.Signature is null || !Writable(notice.MessageId, notice.Vin, notice.Version, notice.UpgradeType, notice.Generation, notice.Kind))
            return false;
        return WithCanonical(notice.MessageId, notice.TaskId, notice.Vin, notice.Version, notice.PackageId, notice.UpgradeType,
            notice.Generation, notice.Kind, (key, notice.Signature), static (canonical, state) => state.key.Verify(canonical, state.Signature));
    }

    private delegate TResult CanonicalUse<TState, TResult>(ReadOnlySpan<byte> canonical, TState state);

    /// <summary>Writes the canonical text on the stack (a pooled array when it is long) and hands it to <paramref name="use"/>.</summary>
    private static TResult WithCanonical<TState, TResult>(string messageId, long taskId, string vin, string version, long? packageId,
        string upgradeType, string generation, string? kind, TState state, CanonicalUse<TState, TResult> use)
    {
        var max = MaxBytes(messageId, vin, version, upgradeType, generation, kind);
        byte[]? rented = null;
        Span<byte> buffer = max <= OnStack ? stackalloc byte[OnStack] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Write(buffer, messageId, taskId, vin, version, packageId, upgradeType, generation, kind);
            return use(buffer[..length], state);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The canonical text of a notice, as bytes (what is signed).</summary>
    public static byte[] Canonical(NoticeMessage notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var buffer = new byte[MaxBytes(notice.MessageId, notice.Vin, notice.Version, notice.UpgradeType, notice.Generation, notice.Kind)];
        var length = Write(buffer, notice.MessageId, notice.TaskId, notice.Vin, notice.Version, notice.PackageId, notice.UpgradeType,
            notice.Generation, notice.Kind);
        return buffer[..length];
    }

    private static bool Writable(params ReadOnlySpan<string?> texts)
    {
        foreach (var text in texts)
            if (text is not null && text.Contains('\n', StringComparison.Ordinal)) return false;
        return true;
    }

    private static int MaxBytes(string messageId, string vin, string version, string upgradeType, string generation, string? kind) =>
        Prefix.Length + Fields + 2 * LongDigits + Encoding.UTF8.GetMaxByteCount(
            messageId.Length + vin.Length + version.Length + upgradeType.Length + generation.Length + (kind?.Length ?? 0));

    private static int Write(Span<byte> buffer, string messageId, long taskId, string vin, string version, long? packageId,
        string upgradeType, string generation, string? kind)
    {
        var at = Encoding.UTF8.GetBytes(Prefix, buffer);
        at += Line(buffer[at..], messageId);
        at += Line(buffer[at..], taskId);
        at += Line(buffer[at..], vin);
        at += Line(buffer[at..], version);
        at += packageId is { } id ? Line(buffer[at..], id) : Line(buffer[at..], "");
        at += Line(buffer[at..], upgradeType);
        at += Line(buffer[at..], generation);
        at += Encoding.UTF8.GetBytes(kind ?? "", buffer[at..]);
        return at;
    }

    private static int Line(Span<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer);
        buffer[written] = (byte)'\n';
        return written + 1;
    }

    private static int Line(Span<byte> buffer, long number)
    {
        number.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        buffer[written] = (byte)'\n';
        return written + 1;
    }
}
