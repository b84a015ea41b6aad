using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ota.Testing;

/// <summary>
/// The real app (`Ota.Web.dll serve`, from the build output `./ota test` makes) as a process of its own, for fault tests
/// that kill an instance outright (SIGKILL: no shutdown, no cleanup, its connections and leases simply stop).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AppProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
    }

    public int HttpPort { get; }

    public string Url => $"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote so far (warnings and errors; the app logs at Warning here).</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>
    /// What an app process needs to join the tests' instance on <paramref name="db"/> and <paramref name="redis"/> as
    /// "victim" (with a data folder of its own), plus <paramref name="settings"/>.
    /// </summary>
    public static Dictionary<string, string?> VictimSettings(MariaDbFixture db, RedisFixture redis, IReadOnlyDictionary<string, string?>? settings = null)
    {
        return new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Ota"] = db.ConnectionString,
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Redis:Database"] = redis.Database.ToString(CultureInfo.InvariantCulture),
            ["Redis:HangfirePrefix"] = redis.HangfirePrefix,
            ["Keys:MasterKey"] = TestEnvironment.MasterKey,
            ["Ota:InstanceName"] = "victim",
            ["Ota:DataFolder"] = Directory.CreateTempSubdirectory("ota-victim-").FullName,
        };
    }

    /// <summary>
    /// Starts the app with <paramref name="settings"/> (configuration keys such as "Push:Lease") and waits until /health
    /// answers 200 on <paramref name="httpPort"/> (a free port when not given).
    /// </summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan? patience = null, int? httpPort = null)
    {
        httpPort ??= OtaAppFactory.FreeTcpPort();
        var start = StartInfo(settings, "serve");
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort.Value.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppProcess(process, httpPort.Value);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilHealthyAsync(patience ?? TimeSpan.FromMinutes(1));
        }
        catch
        {
            // A process that never became healthy is nobody's to dispose: left running, it outlived the test run.
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>Runs one command-line verb of the app (<c>Ota.Web.dll import …</c>, as `./ota import` does) to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunCommandAsync(IReadOnlyDictionary<string, string?> settings,
        params string[] args)
    {
        using var process = Process.Start(StartInfo(settings, args)) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>`dotnet Ota.Web.dll ARGS` in its build folder, its output captured, the settings as environment variables.</summary>
    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var dll = AppBuildOutput();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return start;
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync(TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync($"{Url}/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The app did not become healthy within {patience}:\n{Log}");
            await Task.Delay(250);
        }
    }

    /// <summary>The app as `./ota test` builds it with the solution: Ota.Web/bin/CONFIGURATION/net10.0/Ota.Web.dll.</summary>
    public static string AppBuildOutput()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(Repository.Root.FullName, "Ota.Web", "bin", here.Parent!.Name, here.Name, "Ota.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first (./ota test does).", dll);
    }
}
