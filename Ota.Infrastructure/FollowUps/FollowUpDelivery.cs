using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain.Operations;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Adapters;
using Ota.Infrastructure.Platform.Persistence;
using StackExchange.Redis;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// Carries out the follow-ups that leave the process: chat-group messages (Feishu webhooks), log read-back requests,
/// "cannot compensate" messages, mobile pushes and stream entries. Each attempt is recorded on the follow-up row and on
/// its notification-centre entry (delivery status, attempts, last error); a failed attempt is tried again later with a
/// growing delay until <see cref="FollowUpSettings.MaxAttempts"/>. A channel without a configured URL is recorded as
/// kept locally (notification status <c>Local</c>).
/// </summary>
public sealed partial class FollowUpDelivery(
    MySqlConnectionFactory connections, IChatWebhook chat, ILogService logService, IMessageService messages, IMobilePush push,
    UpgradeStatusStream stream, IOptions<FollowUpSettings> settings, IOptions<OtaOptions> ota, TimeProvider clock, ILogger<FollowUpDelivery> logger)
{
    private sealed record Due(long Id, FollowUpStep Step, string Vin, long? TaskId, string? Payload, int Attempts,
        long? NotificationId, string? Title, string? Text);

    /// <summary>Claims up to <paramref name="limit"/> due deliveries; each is then run with <see cref="DeliverAsync"/>.</summary>
    public async Task<IReadOnlyList<long>> ClaimAsync(int limit, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        var (_, ids) = await DeadlockRetry.RunAsync(() => FollowUpClaims.ClaimAsync(connection, ota.Value.InstanceName, decide: false, limit,
            clock.GetUtcNow().UtcDateTime, settings.Value.Lease, ct));
        return ids;
    }

    /// <summary>Claims and delivers every due follow-up, <see cref="FollowUpSettings.DeliveryConcurrency"/> at a time; returns how many were tried.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct = default)
    {
        var ids = await ClaimAsync(settings.Value.DeliveryConcurrency, ct);
        await Task.WhenAll(ids.Select(id => DeliverAsync(id, ct)));
        return ids.Count;
    }

    /// <summary>One attempt at one claimed follow-up. Never throws for a failed delivery: the failure is recorded for a retry.</summary>
    public async Task DeliverAsync(long id, CancellationToken ct = default)
    {
        Due? due;
        await using (var connection = await connections.OpenAsync(ct))
            due = await ReadAsync(connection, id, ct);
        if (due is null) return;

        AdapterResult result;
        try
        {
            result = await SendAsync(due, ct);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException or InvalidOperationException)
        {
            result = AdapterResult.Failed(e.Message);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var attempts = due.Attempts + 1;
        await using var record = await connections.OpenAsync(CancellationToken.None);
        if (result.Outcome == AdapterOutcome.Failed)
        {
            LogAttemptFailed(logger, due.Step, due.Vin, attempts, result.Error);
            await DeadlockRetry.RunAsync(() =>
                FollowUpClaims.RecordFailureAsync(record, id, attempts, result.Error ?? "failed", now, settings.Value, CancellationToken.None));
            return;
        }
        var local = result.Outcome == AdapterOutcome.NotConfigured;
        await using var command = new MySqlCommand($"""
            UPDATE ota_follow_up SET state = {Sql.Text(FollowUpState.Done)}, attempts = @attempts, done_at = @now, claimed_by = NULL, lease_until = NULL,
                detail = CONCAT(COALESCE(detail, ''), @suffix)
            WHERE id = @id;
            UPDATE ota_notification SET delivery_status = @status, attempts = @attempts, delivered_at = IF(@local, NULL, @now)
            WHERE id = @notification;
            """, record);
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@attempts", attempts);
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@local", local);
        command.Parameters.AddWithValue("@status", local ? NotificationDelivery.Local : NotificationDelivery.Delivered);
        command.Parameters.AddWithValue("@notification", due.NotificationId ?? 0);
        command.Parameters.AddWithValue("@suffix", local
            ? KeptLocallyDetail
            : $" Delivered (attempt {attempts.ToString(CultureInfo.InvariantCulture)}).");
        await DeadlockRetry.RunAsync(() => command.ExecuteNonQueryAsync(CancellationToken.None));
    }

    /// <summary>
    /// Whether a step's message would only be kept in the notification centre (its channel has no endpoint configured): the
    /// decider then records it as such at once, with no delivery round to wait for.
    /// </summary>
    public bool KeepsLocally(FollowUpStep step) => step switch
    {
        FollowUpStep.OperationsAssistantMessage => !chat.IsConfigured(ChatGroup.OperationsAssistant),
        FollowUpStep.WorkOrder => !chat.IsConfigured(ChatGroup.WorkOrderGroup),
        FollowUpStep.FactoryGroupMessage => !chat.IsConfigured(ChatGroup.FactoryGroup),
        FollowUpStep.LogReadBack => !logService.IsConfigured,
        FollowUpStep.CannotCompensate => !messages.IsConfigured,
        FollowUpStep.MobilePush => !push.IsConfigured,
        _ => false,
    };

    /// <summary>What a row's detail gains when its message is kept in the notification centre only.</summary>
    public const string KeptLocallyDetail = " No endpoint is configured for it; kept in the notification centre.";

    private async Task<AdapterResult> SendAsync(Due due, CancellationToken ct)
    {
        var text = due.Text ?? "";
        switch (due.Step)
        {
            case FollowUpStep.OperationsAssistantMessage:
                return await chat.SendTextAsync(ChatGroup.OperationsAssistant, text, ct);
            case FollowUpStep.WorkOrder:
                return await chat.SendTextAsync(ChatGroup.WorkOrderGroup, text, ct);
            case FollowUpStep.FactoryGroupMessage:
                return await chat.SendTextAsync(ChatGroup.FactoryGroup, text, ct);
            case FollowUpStep.LogReadBack:
                var window = JsonSerializer.Deserialize<LogWindow>(due.Payload ?? "")!;
                return await logService.RequestReadBackAsync(new LogReadBackRequest(due.Vin, window.From, window.To, text), ct);
            case FollowUpStep.CannotCompensate:
                return await messages.SendAsync(new ServiceMessage(settings.Value.CannotCompensateRecipient, due.Title ?? "", text, due.Vin, due.TaskId), ct);
            case FollowUpStep.MobilePush:
                var kind = JsonSerializer.Deserialize<PushPayload>(due.Payload ?? "")!.Kind switch
                {
                    "Success" => MobilePushKind.UpgradeSucceeded,
                    "PreconditionsNotMet" => MobilePushKind.PreconditionsNotMet,
                    _ => MobilePushKind.UpgradeFailed,
                };
                return await push.PushAsync(new MobilePushMessage(due.Vin, kind, due.Title ?? "", text), ct);
            case FollowUpStep.PublishToStream:
                var entry = UpgradeStatusStreamEntry.FromJson(due.Payload ?? "");
                await stream.PublishAsync(entry);
                return AdapterResult.Delivered;
            default:
                throw new InvalidOperationException($"Follow-up step {due.Step} has nothing to deliver.");
        }
    }

    private static async Task<Due?> ReadAsync(MySqlConnection connection, long id, CancellationToken ct)
    {
        await using var command = new MySqlCommand($"""
            SELECT f.id, f.step, f.vin, f.task_id, f.payload, f.attempts, f.notification_id, n.title, n.text
            FROM ota_follow_up f LEFT JOIN ota_notification n ON n.id = f.notification_id
            WHERE f.id = @id AND f.state = {Sql.Text(FollowUpState.Pending)}
            """, connection);
        command.Parameters.AddWithValue("@id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new Due(reader.GetInt64(0), Enum.Parse<FollowUpStep>(reader.GetString(1)), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5),
            reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Follow-up {Step} for {Vin} failed (attempt {Attempts}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, FollowUpStep step, string vin, int attempts, string? error);
}
