using Microsoft.AspNetCore.Components.Forms;

namespace Ota.Web.Components.Shared;

/// <summary>
/// A browser upload copied to a temporary file: the readers and importers read synchronously or twice, which the
/// browser's stream does not allow. Deleted on dispose.
/// </summary>
public sealed class UploadedFile : IAsyncDisposable
{
    private UploadedFile(string path, string name, long size)
    {
        Path = path;
        Name = name;
        Size = size;
    }

    public string Path { get; }
    public string Name { get; }
    public long Size { get; }

    public static async Task<UploadedFile> SaveAsync(IBrowserFile file, long maxBytes, CancellationToken ct = default)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ota-upload-{Guid.NewGuid():N}{System.IO.Path.GetExtension(file.Name)}");
        await using (var target = File.Create(path))
        await using (var source = file.OpenReadStream(maxBytes, ct))
            await source.CopyToAsync(target, ct);
        return new UploadedFile(path, file.Name, file.Size);
    }

    public FileStream OpenRead() => File.OpenRead(Path);

    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}
