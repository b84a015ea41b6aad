namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Delivers notices to vehicles.</summary>
public interface INoticeSender
{
    /// <summary>
    /// Publishes each notice (QoS 1) and reports, per notice, whether the broker acknowledged it. It does not throw when the
    /// broker is unreachable or cancellation is requested: the notices not acknowledged are listed as failures, so the caller
    /// leaves those VINs pending.
    /// </summary>
    Task<NoticeSendResult> SendAsync(IReadOnlyList<VehicleNotice> notices, CancellationToken cancellationToken = default);
}
