using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Ota.Testing;

/// <summary>
/// A webhook that hangs: it accepts every connection and reads what is sent, but never answers and never closes, as
/// a stuck or overloaded endpoint does. Only disposing it ends the connections.
/// </summary>
public sealed class HangingHttpEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _accepted;
    private long _bytesReceived;

    public HangingHttpEndpoint()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Connections accepted (and left hanging) so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Request bytes received so far, so a test can tell that requests did arrive.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            _held.Add(client);
            _ = DrainAsync(client);
        }
    }

    // Reads the request so the caller's send completes, then waits: no status line is ever written.
    private async Task DrainAsync(TcpClient client)
    {
        var buffer = new byte[4096];
        var stream = client.GetStream();
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0) Interlocked.Add(ref _bytesReceived, read);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The caller gave up (its timeout) or the endpoint is being disposed: either way this connection is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var client in _held) client.Dispose();
        _stop.Dispose();
    }
}
