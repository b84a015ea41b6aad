namespace Ota.Infrastructure.Platform.Files;

/// <summary>
/// Package files as plain files under one folder (<see cref="FileStoreOptions.Root"/>). Keys are relative paths of
/// safe characters; a put moves the finished upload in with a rename, so a file is either whole or absent.
/// </summary>
public sealed class FileSystemFileStore(string root) : IFileStore
{
    private readonly string _root = Path.GetFullPath(root);

    public string Provider => nameof(FileStoreProvider.FileSystem);

    public Task PutAsync(string key, string sourcePath, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.Move(sourcePath, path, overwrite: true);
        }
        catch (IOException) when (Path.GetPathRoot(sourcePath) is not null && File.Exists(sourcePath))
        {
            // Another disk: copy beside the target, then rename, so a reader never sees half a file.
            var partial = path + ".partial";
            File.Copy(sourcePath, partial, overwrite: true);
            File.Move(partial, path, overwrite: true);
        }
        return Task.CompletedTask;
    }

    public Task<long?> SizeAsync(string key, CancellationToken ct)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) throw new FileNotFoundException($"No stored file {key}.", key);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(stream);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Uri? PresignedGet(string key, TimeSpan lifetime, string downloadName)
    {
        FileKeys.Check(key);
        return null;
    }

    public string? LocalPath(string key) => PathOf(key);

    private string PathOf(string key)
    {
        FileKeys.Check(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Key {key} leaves the store's folder.", nameof(key));
        return path;
    }
}
