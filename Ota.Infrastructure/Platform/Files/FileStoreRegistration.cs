using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Files;

public static class FileStoreRegistration
{
    /// <summary>Registers <see cref="IFileStore"/> by <c>Files:Provider</c>: a local folder by default, an S3 bucket when configured.</summary>
    public static IServiceCollection AddFileStore(this IServiceCollection services)
    {
        services.AddOptions<FileStoreOptions>().BindConfiguration(FileStoreOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.LinkLifetime > TimeSpan.Zero, "Files:LinkLifetime must be positive.")
            .Validate(o => o.Provider != FileStoreProvider.S3 || o.LinkLifetime <= TimeSpan.FromDays(7),
                "Files:LinkLifetime can be at most 7 days with the S3 store: S3 presigns no longer.")
            .Validate(o => o.Provider != FileStoreProvider.S3 || IsBucketName(o.S3.Bucket),
                "Files:Provider is S3, so Files:S3:Bucket (Files__S3__Bucket) must name a bucket: 3 to 63 lower-case letters, digits, '.' and '-'.")
            .Validate(o => o.Provider != FileStoreProvider.S3 || HasKeys(o.S3),
                "Files:Provider is S3, so its keys must be set: Files__S3__AccessKey and Files__S3__SecretKey in the environment (or .data/secrets.env).")
            .Validate(o => o.Provider != FileStoreProvider.S3 || string.IsNullOrWhiteSpace(o.S3.ServiceUrl) || IsHttpUrl(o.S3.ServiceUrl),
                "Files:S3:ServiceUrl (Files__S3__ServiceUrl) must be an absolute http or https URL, or empty for AWS S3.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FileLinks>();
        services.AddSingleton<DownloadLinks>();
        services.AddSingleton<IFileStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FileStoreOptions>>().Value;
            return options.Provider switch
            {
                FileStoreProvider.S3 => new S3FileStore(options.S3),
                _ => new FileSystemFileStore(FileFolders.Root(options, sp.GetRequiredService<IOptions<OtaOptions>>().Value)),
            };
        });
        return services;
    }

    private static bool HasKeys(S3StoreOptions s3) => !string.IsNullOrWhiteSpace(s3.AccessKey) && !string.IsNullOrWhiteSpace(s3.SecretKey);

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>S3's rule for bucket names, so a bad one fails at start-up rather than at the first upload.</summary>
    private static bool IsBucketName(string? name) =>
        name is { Length: >= 3 and <= 63 }
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);
}

/// <summary>The folders of the file store and of incoming uploads, from the options.</summary>
public static class FileFolders
{
    public static string Root(FileStoreOptions files, OtaOptions ota) =>
        Path.GetFullPath(string.IsNullOrEmpty(files.Root) ? Path.Combine(ota.DataFolder, "files") : files.Root);

    public static string Incoming(FileStoreOptions files, OtaOptions ota) =>
        Path.GetFullPath(string.IsNullOrEmpty(files.Incoming) ? Path.Combine(ota.DataFolder, "files-incoming") : files.Incoming);
}
