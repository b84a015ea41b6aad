using System.Diagnostics;
using StackExchange.Redis;

namespace Ota.Testing;

/// <summary>
/// A Redis server of the test's own (a child process on a free port), for fault tests that stop and restart Redis
/// without disturbing the shared test Redis other test classes use. By default it comes back empty after a stop, like
/// the Redis <c>./ota run</c> starts; with <paramref name="keepsData"/> it writes every change to an append-only file
/// first and comes back with all it held, like a production Redis, or one that was only out of reach.
/// </summary>
public sealed class RedisServerProcess(bool keepsData = false) : IAsyncDisposable
{
    private readonly string? _dataFolder = keepsData ? Directory.CreateTempSubdirectory("ota-redis-").FullName : null;
    private Process? _process;

    public int Port { get; } = OtaAppFactory.FreeTcpPort();

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] persistence = _dataFolder is null
            ? ["--appendonly", "no"]
            : ["--dir", _dataFolder, "--appendonly", "yes", "--appendfsync", "always"];
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "" }.Concat(persistence))
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},connectTimeout=500");
                await redis.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Kills the server; with <paramref name="loseData"/> it also comes back empty when it keeps its data otherwise.</summary>
    public async Task StopAsync(bool loseData = false)
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
        if (loseData && _dataFolder is not null)
            foreach (var entry in new DirectoryInfo(_dataFolder).EnumerateFileSystemInfos())
                if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
                else entry.Delete();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_dataFolder is not null) Directory.Delete(_dataFolder, recursive: true);
    }
}
