using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Files;

namespace Ota.Infrastructure.Tests.Platform.Files;

/// <summary>The provider is chosen by configuration, and an S3 store that lacks a setting fails at start-up naming it.</summary>
public sealed class FileStoreSelection
{
    private static OptionsValidationException Refusal(Dictionary<string, string?> s3Settings)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Files:Provider"] = "S3", ["Files:S3:Bucket"] = "ota-packages", ["Files:S3:AccessKey"] = "key", ["Files:S3:SecretKey"] = "secret",
        };
        foreach (var (k, v) in s3Settings) settings[k] = v;
        using var services = FileStoreServices.Create(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FileStoreOptions>>().Value);
    }

    [Theory]
    [InlineData("Files:S3:AccessKey")]
    [InlineData("Files:S3:SecretKey")]
    public void RefusesS3WithoutItsKeys(string missing)
    {
        var error = Refusal(new() { [missing] = "" });
        Assert.Contains("Files__S3__AccessKey", error.Message);
        Assert.Contains("Files__S3__SecretKey", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Ota_Packages")]
    [InlineData("-ota")]
    public void RefusesS3WithoutAUsableBucketName(string bucket) =>
        Assert.Contains("Files__S3__Bucket", Refusal(new() { ["Files:S3:Bucket"] = bucket }).Message);

    [Fact]
    public void RefusesAServiceUrlThatIsNotHttp() =>
        Assert.Contains("Files__S3__ServiceUrl", Refusal(new() { ["Files:S3:ServiceUrl"] = "minio.local:9000" }).Message);

    [Fact]
    public void ChoosesS3WhenConfiguredWithoutReachingTheStore()
    {
        using var services = FileStoreServices.Create(new()
        {
            ["Files:Provider"] = "S3", ["Files:S3:ServiceUrl"] = "http://127.0.0.1:1", ["Files:S3:AccessKey"] = "key", ["Files:S3:SecretKey"] = "secret",
        });
        var store = Assert.IsType<S3FileStore>(services.GetRequiredService<IFileStore>());
        Assert.Equal("S3", store.Provider);
    }
}
