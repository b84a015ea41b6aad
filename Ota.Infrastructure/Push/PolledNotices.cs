using Ota.Domain;
using Ota.Infrastructure.Platform.Mqtt;

namespace Ota.Infrastructure.Push;

/// <summary>
/// Hands a batch of notices to the broker, except those of DDI devices (SPEC §14): such a device gets no MQTT notice, it
/// finds the task (or its cancel) on its next poll once the notice is recorded, so its notice counts as sent at once.
/// </summary>
internal static class PolledNotices
{
    public static async Task<NoticeSendResult> SendAsync(INoticeSender sender, IReadOnlyList<VehicleNotice> batch, CancellationToken ct)
    {
        if (batch.All(n => n.Client == UpdateClient.Native)) return await sender.SendAsync(batch, ct);
        var published = new List<int>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Client == UpdateClient.Native) published.Add(i);
        }
        if (published.Count == 0) return new NoticeSendResult(batch.Count, []);
        var result = await sender.SendAsync(published.Select(i => batch[i]).ToList(), ct);
        return new NoticeSendResult(batch.Count, result.Failures.Select(f => f with { Index = published[f.Index] }).ToList());
    }

    public static bool AnyPolled(IEnumerable<VehicleNotice> notices) => notices.Any(n => n.Client != UpdateClient.Native);
}
