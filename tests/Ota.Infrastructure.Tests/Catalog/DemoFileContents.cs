using System.Security.Cryptography;
using System.Text.Json;
using Ota.Infrastructure.Demo;

namespace Ota.Infrastructure.Tests.Catalog;

/// <summary>The demo catalog holds the size and SHA-256 of the files the demo world generates, so its uploads are accepted.</summary>
public sealed class DemoFileContents
{
    [Fact]
    public void EveryDemoEcuPackageHasAGeneratedFileOfItsCataloguedSizeAndHash()
    {
        using var catalog = JsonDocument.Parse(DemoWorld.OpenCatalog());
        var packages = catalog.RootElement.GetProperty("ecuPackages").EnumerateArray().ToList();
        long total = 0;
        foreach (var package in packages)
        {
            var key = package.GetProperty("key").GetString()!;
            var size = package.GetProperty("fileSize").GetInt32();
            var content = DemoFiles.ContentOf(key, size);
            Assert.Equal(package.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(content)));
            total += size;
        }
        // A few MB in all, so ./ota run stays quick.
        Assert.InRange(total, 1L << 20, 8L << 20);
        Assert.NotEqual(DemoFiles.ContentOf("CDC-3.1.5-full", 64), DemoFiles.ContentOf("BMS-3.1.5-full", 64));
    }
}
