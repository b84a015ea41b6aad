using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Testing;

/// <summary>
/// A MariaDB server of the test's own (its own data folder and port), for fault tests that restart the database
/// without disturbing the shared test server. The database is migrated on first start.
/// </summary>
public sealed class MariaDbServerProcess : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ota-mariadb-").FullName;
    private Process? _process;

    public int Port { get; } = OtaAppFactory.FreeTcpPort();

    public string Database => "ota";

    public string ConnectionString =>
        $"Server=127.0.0.1;Port={Port};Database={Database};User=root;AllowLoadLocalInfile=true;AllowUserVariables=true;Connection Timeout=3";

    private string DataDir => Path.Combine(_folder, "data");
    private string Socket => Path.Combine(_folder, "mysqld.sock");

    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) return;
        var fresh = !Directory.Exists(Path.Combine(DataDir, "mysql"));
        if (fresh)
            await RunAsync("mariadb-install-db", "--no-defaults", "--user=root", $"--datadir={DataDir}", "--auth-root-authentication-method=normal", "--skip-test-db");
        var start = new ProcessStartInfo(File.Exists("/usr/sbin/mariadbd") ? "/usr/sbin/mariadbd" : "mariadbd")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--no-defaults", "--user=root", $"--datadir={DataDir}", $"--socket={Socket}", $"--port={Port.ToString(CultureInfo.InvariantCulture)}",
            "--bind-address=127.0.0.1", "--local-infile=1", "--skip-log-bin", "--innodb-buffer-pool-size=64M",
            "--innodb-flush-log-at-trx-commit=2", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            $"--log-error={Path.Combine(_folder, "error.log")}", $"--pid-file={Path.Combine(_folder, "mysqld.pid")}",
        }) start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("mariadbd did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
        if (fresh) await CreateDatabaseAsync();
    }

    /// <summary>Stops the server as a crash would look to clients: connections drop at once.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
        MySqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var server = new MySqlConnectionStringBuilder(ConnectionString) { Database = "" }.ConnectionString;
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(server);
                await connection.OpenAsync();
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline && _process is { HasExited: false })
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task CreateDatabaseAsync()
    {
        await using (var connection = new MySqlConnection(new MySqlConnectionStringBuilder(ConnectionString) { Database = "" }.ConnectionString))
        {
            await connection.OpenAsync();
            await DatabaseTemplate.Exec(connection, $"CREATE DATABASE `{Database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        var options = new DbContextOptionsBuilder<OtaDbContext>();
        MySqlSetup.Configure(options, ConnectionString);
        await using var db = new OtaDbContext(options.Options);
        await db.Database.MigrateAsync();
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {await error}{await output}");
    }
}
