using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Mqtt;

namespace Ota.Testing;

/// <summary>
/// A Mosquitto of the test's own (a child process on a free port), configured from the repository's template
/// (deploy/mosquitto) with a server certificate and CA the test's vehicle CA issued: TLS, client certificates required,
/// the certificate's CN as the username, the repository's ACL. Stopped cleanly it saves its sessions and queued
/// messages and comes back with them, as a restarted production broker does.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ota-mosquitto-").FullName;
    private Process? _process;

    /// <param name="caPem">The CA whose client certificates the broker accepts (the test database's vehicle CA).</param>
    /// <param name="server">The broker's certificate and key, valid for 127.0.0.1.</param>
    /// <param name="crlPem">That CA's revocation list: OpenSSL refuses every client of a CA it has no list of.</param>
    public MosquittoProcess(string caPem, IssuedCertificate server, string crlPem)
    {
        var certs = Directory.CreateDirectory(Path.Combine(_folder, "certs")).FullName;
        File.WriteAllText(Path.Combine(certs, "ca.pem"), caPem);
        File.WriteAllText(Path.Combine(certs, "broker.pem"), server.CertificatePem);
        File.WriteAllText(Path.Combine(certs, "broker.key"), server.PrivateKeyPem);
        File.WriteAllText(Path.Combine(certs, "crl.pem"), crlPem);
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        var template = File.ReadAllText(Path.Combine(Repository.Root.FullName, "deploy", "mosquitto", "mosquitto.conf"));
        File.WriteAllText(ConfigFile, template
            .Replace("@BIND@", "127.0.0.1", StringComparison.Ordinal)
            .Replace("@PORT@", Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@CERTS@", certs, StringComparison.Ordinal)
            .Replace("@ACL@", Path.Combine(Repository.Root.FullName, "deploy", "mosquitto", "acl"), StringComparison.Ordinal)
            .Replace("@DATA@", Path.Combine(_folder, "data"), StringComparison.Ordinal)
            .Replace("@USER@", Environment.UserName, StringComparison.Ordinal));
    }

    /// <summary>A Mosquitto started with a server certificate for 127.0.0.1 from <paramref name="ca"/>, accepting that CA's clients.</summary>
    public static async Task<MosquittoProcess> StartAsync(VehicleCertificateAuthority ca)
    {
        var caPem = (await ca.CertificateAsync()).ExportCertificatePem();
        var broker = new MosquittoProcess(caPem, await ca.IssueBrokerAsync(["127.0.0.1"]), await ca.RevocationListPemAsync());
        try
        {
            await broker.StartAsync();
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public int Port { get; } = OtaAppFactory.FreeTcpPort();

    /// <summary>The app's settings for sending through this broker, with the certificate it issues itself from the vehicle CA.</summary>
    public Dictionary<string, string?> AppSettings() => new()
    {
        ["Mqtt:Embedded"] = "false",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Mqtt:UseTls"] = "true",
        ["Mqtt:UseVehicleCa"] = "true",
    };

    /// <summary>
    /// A notice subscriber's settings for this broker: <paramref name="certificate"/> presented (a vehicle's, or the
    /// product's ota-service one to listen to every vehicle when <paramref name="vin"/> is null), the broker trusted by <paramref name="ca"/>.
    /// </summary>
    public MqttNoticeSubscriberOptions Subscriber(X509Certificate2 certificate, X509Certificate2 ca, string? vin = null, int maxRetained = 10_000,
        TimeSpan? sessionExpiry = null) => new()
        {
            Host = "127.0.0.1",
            Port = Port,
            UseTls = true,
            ClientCertificate = certificate,
            TrustedCertificates = [ca],
            Vin = vin,
            MaxRetained = maxRetained,
            SessionExpiry = sessionExpiry,
        };

    public string ConfigFile => Path.Combine(_folder, "mosquitto.conf");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the broker logged so far (its connections and refusals).</summary>
    public string Log
    {
        get
        {
            lock (_logGate) return File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";
        }
    }

    private string LogFile => Path.Combine(_folder, "mosquitto.log");

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo(TestEnvironment.Mosquitto)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ConfigFile);
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"mosquitto exited at start:\n{Log}");
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private readonly Lock _logGate = new();

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logGate) File.AppendAllText(LogFile, line + "\n");
    }

    /// <summary>
    /// Stops the broker: cleanly (SIGTERM, as a service restart does: it saves its sessions and queued messages first),
    /// or with <paramref name="kill"/> at once (SIGKILL, a crash: what it held since its last autosave is lost).
    /// </summary>
    public async Task StopAsync(bool kill = false)
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            if (kill) _process.Kill();
            else await SignalAsync("TERM");
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Hands the broker a new revocation list and has it take it up (SIGHUP), as an operator does after a revocation.</summary>
    public async Task ReplaceRevocationListAsync(string crlPem)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "certs", "crl.pem"), crlPem);
        await SignalAsync("HUP");
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kill: true);
        Directory.Delete(_folder, recursive: true);
    }
}
