using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ota.Infrastructure.Catalog.Files;

namespace Ota.Infrastructure.Demo;

/// <summary>
/// The demo world's package files: for each ECU package of the demo catalog, deterministic bytes of the catalogued size
/// (SHA-256 of "key:n" for n = 0, 1, …, cut to size), whose SHA-256 the catalog holds. Small (5 MB in all), so
/// `./ota run` stays quick and every demo download is real.
/// </summary>
public sealed class DemoFiles(PackageFileUploads uploads)
{
    /// <summary>The bytes of the demo file of <paramref name="packageKey"/>.</summary>
    public static byte[] ContentOf(string packageKey, int size)
    {
        var content = new byte[size];
        Span<byte> block = stackalloc byte[32];
        for (var (offset, n) = (0, 0); offset < size; offset += 32, n++)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes($"{packageKey}:{n}"), block);
            block[..Math.Min(32, size - offset)].CopyTo(content.AsSpan(offset));
        }
        return content;
    }

    /// <summary>The demo catalog's ECU packages: key, file name and size.</summary>
    public static IReadOnlyList<(string Key, string FileName, int Size)> Packages()
    {
        using var stream = DemoWorld.OpenCatalog();
        using var json = JsonDocument.Parse(stream);
        return json.RootElement.GetProperty("ecuPackages").EnumerateArray()
            .Select(p => (p.GetProperty("key").GetString()!, p.GetProperty("fileName").GetString()!, p.GetProperty("fileSize").GetInt32()))
            .ToList();
    }

    /// <summary>Stores the files the store does not hold yet; returns how many it stored.</summary>
    public async Task<int> StoreMissingAsync(CancellationToken ct)
    {
        var stored = await uploads.AllAsync(ct);
        var added = 0;
        foreach (var (key, fileName, size) in Packages())
        {
            if (stored.ContainsKey(key)) continue;
            await using var content = new MemoryStream(ContentOf(key, size), writable: false);
            await uploads.UploadAsync(key, content, size, fileName, "demo", ct);
            added++;
        }
        return added;
    }
}
