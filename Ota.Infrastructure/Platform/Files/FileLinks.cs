using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Keys;

namespace Ota.Infrastructure.Platform.Files;

/// <summary>What a presented link token says, once checked.</summary>
public enum LinkVerdict { Valid, Invalid, Expired }

/// <summary>A checked link: its verdict and, when it is genuine, the file and vehicle it was made for.</summary>
public readonly record struct LinkCheck(LinkVerdict Verdict, long FileId, string Vin, DateTimeOffset ExpiresAt);

/// <summary>
/// The app's own download links (SPEC §13, <c>/files/v1/{token}</c>): a token names the stored file, the vehicle it was
/// handed to and when it expires, sealed with an HMAC under a key derived from the master key. Nothing is stored per
/// link, so any instance checks any link; a forged or altered token fails the seal, an old one its expiry.
/// </summary>
public sealed class FileLinks(IOptions<KeyOptions> keys, TimeProvider clock)
{
    public const string PathPrefix = "/files/v1/";
    private const byte Version = 1;
    private const int MacBytes = 16;
    private const int VinMaxBytes = 64;
    private readonly Lazy<byte[]> _key = new(() => HMACSHA256.HashData(
        keys.Value.TryDecodeMasterKey() ?? throw new InvalidOperationException("Keys:MasterKey is missing or malformed: download links cannot be made."),
        "ota-file-links-v1"u8));

    /// <summary>A token for <paramref name="vin"/> to fetch stored file <paramref name="fileId"/> until <paramref name="expiresAt"/>.</summary>
    public string Token(long fileId, string vin, DateTimeOffset expiresAt)
    {
        var vinBytes = Encoding.UTF8.GetBytes(vin);
        if (vinBytes.Length > VinMaxBytes) throw new ArgumentException("The VIN is too long for a link.", nameof(vin));
        var body = new byte[1 + 8 + 8 + 1 + vinBytes.Length];
        body[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(1), fileId);
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(9), expiresAt.ToUnixTimeSeconds());
        body[17] = (byte)vinBytes.Length;
        vinBytes.CopyTo(body, 18);
        var token = new byte[body.Length + MacBytes];
        body.CopyTo(token, 0);
        HMACSHA256.HashData(_key.Value, body).AsSpan(0, MacBytes).CopyTo(token.AsSpan(body.Length));
        return Base64Url(token);
    }

    /// <summary>The link path for a token, relative to the app's base address.</summary>
    public static string PathOf(string token) => PathPrefix + token;

    public LinkCheck Check(string token)
    {
        if (Decode(token) is not { } raw || raw.Length < 18 + MacBytes || raw[0] != Version) return Invalid;
        var vinLength = raw[17];
        var bodyLength = 18 + vinLength;
        if (raw.Length != bodyLength + MacBytes) return Invalid;
        var expected = HMACSHA256.HashData(_key.Value, raw.AsSpan(0, bodyLength));
        if (!CryptographicOperations.FixedTimeEquals(expected.AsSpan(0, MacBytes), raw.AsSpan(bodyLength))) return Invalid;
        var fileId = BinaryPrimitives.ReadInt64BigEndian(raw.AsSpan(1));
        var expires = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(BinaryPrimitives.ReadInt64BigEndian(raw.AsSpan(9)), 0, 253402300799));
        var vin = Encoding.UTF8.GetString(raw, 18, vinLength);
        var verdict = clock.GetUtcNow() >= expires ? LinkVerdict.Expired : LinkVerdict.Valid;
        return new LinkCheck(verdict, fileId, vin, expires);
    }

    private static readonly LinkCheck Invalid = new(LinkVerdict.Invalid, 0, "", default);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? Decode(string token)
    {
        if (token.Length is 0 or > 256) return null;
        var text = token.Replace('-', '+').Replace('_', '/');
        text += (text.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
