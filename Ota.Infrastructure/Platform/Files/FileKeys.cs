using System.Buffers;

namespace Ota.Infrastructure.Platform.Files;

/// <summary>Object keys every provider accepts: segments of letters, digits, '.', '-' and '_' joined by '/'.</summary>
public static class FileKeys
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_/");

    /// <summary>A new key for a package file: its package key made safe, then a fresh id, so a replacement never overwrites.</summary>
    public static string NewFor(string packageKey)
    {
        var safe = new string(packageKey.Select(c => Allowed.Contains(c) && c != '/' ? c : '_').ToArray()).Trim('.');
        if (safe.Length == 0) safe = "package";
        if (safe.Length > 100) safe = safe[..100];
        return $"packages/{safe}/{Guid.CreateVersion7():N}";
    }

    public static void Check(string key)
    {
        if (key.Length == 0 || key.Length > 512 || key.AsSpan().IndexOfAnyExcept(Allowed) >= 0 || key.StartsWith('/')
            || key.Split('/').Any(s => s.Length == 0 || s == "." || s == ".."))
            throw new ArgumentException($"'{key}' is not a valid file key.", nameof(key));
    }
}
