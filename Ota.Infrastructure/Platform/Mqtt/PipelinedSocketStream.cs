using System.IO.Pipelines;
using System.Net.Sockets;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// A socket stream for MQTT connections that carry many small packets. MQTTnet issues one send per packet and several
/// small reads per packet; on two cores that caps a QoS 1 notice stream at about 10,000 messages/s, mostly in system calls.
/// Here writes are queued in a pipe and one loop sends whatever has accumulated, so packets written back to back share
/// a send call, and reads are served from a buffer. Nothing waits for more data: a lone packet is sent at once.
/// </summary>
internal sealed class PipelinedSocketStream : Stream
{
    private const int ReadBufferSize = 32 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly Pipe _outgoing = new(new PipeOptions(
        pauseWriterThreshold: 1024 * 1024,
        resumeWriterThreshold: 512 * 1024,
        minimumSegmentSize: 16 * 1024,
        useSynchronizationContext: false));
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly byte[] _readBuffer = new byte[ReadBufferSize];
    private readonly Task _sendLoop;
    private int _readStart;
    private int _readEnd;
    private Exception? _sendFailure;
    private int _disposed;

    public PipelinedSocketStream(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _sendLoop = SendLoopAsync();
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Waits only when a megabyte is queued: the peer is slower than the writer.
            var flush = await _outgoing.Writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted) throw new IOException("The connection is closed.", _sendFailure);
        }
        catch (InvalidOperationException e)
        {
            throw new IOException("The connection is closed.", _sendFailure ?? e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        if (_readStart == _readEnd)
        {
            if (buffer.Length >= ReadBufferSize) return await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            _readStart = _readEnd = 0;
            var received = await ReceiveAsync(_readBuffer, cancellationToken).ConfigureAwait(false);
            if (received == 0) return 0;
            _readEnd = received;
        }

        var count = Math.Min(buffer.Length, _readEnd - _readStart);
        _readBuffer.AsSpan(_readStart, count).CopyTo(buffer.Span);
        _readStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Queued bytes are already on their way; there is nothing to flush.</summary>
    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            _ = CloseAsync();
        base.Dispose(disposing);
    }

    private async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // The same shape NetworkStream uses, which MQTTnet recognises as a broken connection.
            throw new IOException(e.Message, e);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _outgoing.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    var remaining = segment;
                    while (!remaining.IsEmpty)
                    {
                        var sent = await _socket.SendAsync(remaining, SocketFlags.None).ConfigureAwait(false);
                        remaining = remaining[sent..];
                    }
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Any failure ends the connection: a writer must never wait on a pipe nobody drains.
            _sendFailure = e;
            await reader.CompleteAsync(e).ConfigureAwait(false);
            // A pending read must end too, so the MQTT client notices the broken connection at once.
            ShutdownSocket();
        }
    }

    private async Task CloseAsync()
    {
        // Let what is queued (a DISCONNECT packet, say) go out, but do not wait long for a peer that stopped reading.
        if (await _writeGate.WaitAsync(CloseGrace).ConfigureAwait(false))
        {
            await _outgoing.Writer.CompleteAsync().ConfigureAwait(false);
            _writeGate.Release();
            await Task.WhenAny(_sendLoop, Task.Delay(CloseGrace)).ConfigureAwait(false);
        }
        ShutdownSocket();
        _socket.Dispose();
    }

    private void ShutdownSocket()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer or by us: the goal is reached.
        }
    }
}
