using System.Security.Cryptography;
using Microsoft.Playwright;
using Ota.Infrastructure.Demo;
using static Microsoft.Playwright.Assertions;

namespace Ota.EndToEnd.Tests;

/// <summary>An operator uploads an ECU package's file on the Packages page (SPEC §13): refused in words when it is not the catalogued build, then stored with its hashes shown.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PackageFileUpload(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task AnOperatorDropsTheWrongBuildThenTheRightOneAndSeesItsHashes()
    {
        const string key = "TBOX-3.1.6-full";
        var (_, fileName, size) = DemoFiles.Packages().Single(p => p.Key == key);
        var content = DemoFiles.ContentOf(key, size);
        var folder = Directory.CreateTempSubdirectory("ota-e2e-files-").FullName;
        var wrong = Path.Combine(folder, "tbox-wrong-build.bin");
        await File.WriteAllBytesAsync(wrong, content.Reverse().ToArray());
        var right = Path.Combine(folder, fileName);
        await File.WriteAllBytesAsync(right, content);

        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoAsync(page, "/packages");
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Package files" }).ClickAsync();
        await Expect(page.Locator($"[data-testid=\"package-file-stored-{key}\"]")).ToContainTextAsync("no file");
        await BrowserFixture.SelectAsync(page, "package-file-key", key + " ·");
        await Expect(page.Locator("[data-testid=package-file-drop]")).ToContainTextAsync(key);

        await BrowserFixture.SetFilesAsync(page.Locator("[data-testid=package-file-input]"), wrong);
        await Expect(page.Locator("[data-testid=package-file-error]")).ToContainTextAsync("FILE_HASH_MISMATCH");

        await BrowserFixture.SetFilesAsync(page.Locator("[data-testid=package-file-input]"), right);
        var result = page.Locator("[data-testid=package-file-result]");
        await Expect(result).ToContainTextAsync(Convert.ToHexStringLower(SHA256.HashData(content)));
        await Expect(result).ToContainTextAsync(Convert.ToHexStringLower(MD5.HashData(content)));
        await Expect(result).ToContainTextAsync($"{size:N0} bytes");
        await Expect(page.Locator("[data-testid=package-file-error]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-testid=\"package-file-stored-{key}\"]")).ToContainTextAsync($"by {Browser.Operator.Email}");
        await BrowserFixture.ScreenshotAsync(page, "package-files");
        Assert.Equal(1L, await Browser.Database.CountAsync("ota_package_file", $"package_key = '{key}'"));
    }
}
