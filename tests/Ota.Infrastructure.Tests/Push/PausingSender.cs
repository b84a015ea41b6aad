using Ota.Infrastructure.Platform.Mqtt;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>The real notice sender, which a test can hold still before its next batch to act while notices are in flight.</summary>
public sealed class PausingSender(MqttNoticeSender inner) : INoticeSender
{
    private Task? _pause;
    private TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a send has reached the pause.</summary>
    public Task Paused => _paused.Task;

    /// <summary>The next send waits for <paramref name="until"/> before it sends anything.</summary>
    public void PauseNext(Task until)
    {
        _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pause, until);
    }

    public async Task<NoticeSendResult> SendAsync(IReadOnlyList<VehicleNotice> notices, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _pause, null) is { } pause)
        {
            _paused.TrySetResult();
            await pause.WaitAsync(cancellationToken);
        }
        return await inner.SendAsync(notices, cancellationToken);
    }
}
