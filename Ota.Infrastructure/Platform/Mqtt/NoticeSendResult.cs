namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>A notice the broker did not acknowledge; <see cref="Index"/> is its position in the batch.</summary>
public sealed record NoticeFailure(int Index, VehicleNotice Notice, string Error);

/// <summary>Outcome of one <see cref="INoticeSender.SendAsync"/> call.</summary>
public sealed class NoticeSendResult
{
    private readonly bool[] _failed;

    public NoticeSendResult(int total, IReadOnlyList<NoticeFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        Total = total;
        Failures = failures;
        _failed = new bool[total];
        foreach (var failure in failures) _failed[failure.Index] = true;
    }

    public int Total { get; }

    /// <summary>Failures ordered by index.</summary>
    public IReadOnlyList<NoticeFailure> Failures { get; }

    public int Sent => Total - Failures.Count;

    public bool AllSent => Failures.Count == 0;

    /// <summary>Whether the notice at <paramref name="index"/> of the batch was acknowledged by the broker.</summary>
    public bool WasSent(int index) => !_failed[index];
}
