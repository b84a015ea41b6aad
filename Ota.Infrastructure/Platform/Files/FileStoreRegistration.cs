using Microsoft.Extensions.DependencyInjection;
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
            .ValidateOnStart();
        services.AddSingleton<FileLinks>();
        services.AddSingleton<DownloadLinks>();
        services.AddSingleton<IFileStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FileStoreOptions>>().Value;
            return options.Provider switch
            {
                FileStoreProvider.S3 => throw new NotSupportedException("The S3 file store is not built yet."),
                _ => new FileSystemFileStore(FileFolders.Root(options, sp.GetRequiredService<IOptions<OtaOptions>>().Value)),
            };
        });
        return services;
    }
}

/// <summary>The folders of the file store and of incoming uploads, from the options.</summary>
public static class FileFolders
{
    public static string Root(FileStoreOptions files, OtaOptions ota) =>
        Path.GetFullPath(string.IsNullOrEmpty(files.Root) ? Path.Combine(ota.DataFolder, "files") : files.Root);

    public static string Incoming(FileStoreOptions files, OtaOptions ota) =>
        Path.GetFullPath(string.IsNullOrEmpty(files.Incoming) ? Path.Combine(ota.DataFolder, "files-incoming") : files.Incoming);
}
