using System.Security.Cryptography;
using Ota.Domain;
using Ota.Domain.Events.Reports;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Domain.Vehicles.Ddi;
using Ota.Infrastructure.EventReports;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Ddi;

/// <summary>What became of a device's feedback.</summary>
public enum DdiFeedbackResult { Stored, ActionNotFound, ActionClosed }

/// <summary>
/// Turns a DDI device's feedback into the native events (SPEC §14 through <see cref="DdiFeedbackMapping"/>) and stores them
/// with the native API's writer, so they are on the vehicle's timeline and funnel and followed up as any vehicle's report
/// (SPEC §7: the task-VIN moves, webhooks, compensation of a failed download, rollout thresholds). The events' ids are
/// derived from the body, so a device that posts the same feedback again (a lost answer) stores nothing twice. What ends
/// the action for the device (closed, a cancel answered) is recorded on its DDI row at once, so its next poll, on any
/// instance, no longer offers it.
/// </summary>
public sealed class DdiFeedbackWriter(MySqlConnectionFactory connections, EventReportWriter events, DdiWork work, TimeProvider clock)
{
    /// <summary>The pseudo ECU code of a feedback's progress event: DDI reports on the whole action, not per chunk.</summary>
    public const string ActionEcu = "DDI";

    private static readonly string Cancelled = Sql.Text(TaskVinState.Cancelled);

    public async Task<DdiFeedbackResult> StoreAsync(string vin, long actionId, DdiFeedbackTarget target, DdiFeedback feedback, DateTimeOffset? sentAt,
        ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await connections.OpenAsync(ct);
        ActionRow row;
        await using (var command = Sql.Command(connection, null,
            $"""
            SELECT tv.state, tv.message_id, tv.notified_at, tv.cancel_notice IS NOT NULL, t.type, t.target_version,
                   tv.notified_at IS NOT NULL AND d.closed_task_id <=> tv.task_id AND d.closed_at >= tv.notified_at,
                   tv.notified_at IS NOT NULL AND d.downloaded_task_id <=> tv.task_id AND d.downloaded_at >= tv.notified_at
            FROM ota_task_vin tv JOIN ota_task t ON t.id = tv.task_id LEFT JOIN ota_ddi_target d ON d.vin = tv.vin
            WHERE tv.vin = @vin AND tv.task_id = @task
            """, ("@vin", vin), ("@task", actionId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return DdiFeedbackResult.ActionNotFound;
            row = new ActionRow(Enum.Parse<TaskVinState>(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1),
                !reader.IsDBNull(2), reader.GetBoolean(3), Enum.Parse<TaskType>(reader.GetString(4)), reader.GetString(5),
                !reader.IsDBNull(6) && reader.GetBoolean(6), !reader.IsDBNull(7) && reader.GetBoolean(7));
        }

        if (target == DdiFeedbackTarget.Cancel)
        {
            // Only an action whose cancel the device was offered (hawkBit answers 404 for one that is not being cancelled).
            if (row.State != TaskVinState.Cancelled || !row.CancelOwed) return DdiFeedbackResult.ActionNotFound;
        }
        else if (!row.Notified) return DdiFeedbackResult.ActionNotFound;
        else if (!TaskVinLifecycle.InFlight.Contains(row.State) || row.ClosedByDevice) return DdiFeedbackResult.ActionClosed;

        var meaning = DdiFeedbackMapping.Map(target, feedback, row.State, row.Downloaded);
        var occurred = sentAt is { } at && at > now.AddDays(-1) && at < now.AddMinutes(5) ? at : now;
        var ids = EventIds(vin, actionId, row.MessageId, target, body);
        var header = new ReportedEventHeader(0, ids[0], occurred, actionId, row.MessageId);
        var reported = new List<ReportedEvent>(2)
        {
            new ReportedUpgradeProgress(header) { EcuCode = ActionEcu, Step = meaning.Step, Percent = meaning.Percent ?? (meaning.Status == UpgradeState.Succeeded ? 100 : 0) },
        };
        if (meaning.Status is { } status)
        {
            reported.Add(new ReportedUpgradeStatus(header with { Index = 1, EventId = ids[1] })
            {
                State = status,
                TriggerType = TaskTypeRules.For(row.Type).Trigger,
                ErrorType = meaning.Error,
                InnerErrorCode = feedback.Code is { } code ? $"DDI-{code}" : null,
                Version = status == UpgradeState.Succeeded ? row.TargetVersion : null,
            });
        }
        await events.StoreAsync(new EventReport(vin, reported, [], []), ct);

        var ended = meaning.ClosesAction && target == DdiFeedbackTarget.Deployment;
        var downloaded = meaning.ReachedDownloaded && !row.Downloaded;
        if (ended || downloaded)
        {
            await Sql.ExecAsync(connection, null,
                """
                INSERT INTO ota_ddi_target (vin, closed_task_id, closed_at, downloaded_task_id, downloaded_at, updated_at)
                VALUES (@vin, IF(@ended, @task, NULL), IF(@ended, @now, NULL), IF(@downloaded, @task, NULL), IF(@downloaded, @now, NULL), @now)
                ON DUPLICATE KEY UPDATE
                  closed_task_id = IF(@ended, @task, closed_task_id), closed_at = IF(@ended, @now, closed_at),
                  downloaded_task_id = IF(@downloaded, @task, downloaded_task_id), downloaded_at = IF(@downloaded, @now, downloaded_at),
                  updated_at = @now
                """, ct, ("@vin", vin), ("@task", actionId), ("@ended", ended), ("@downloaded", downloaded), ("@now", now.UtcDateTime));
        }
        if (meaning.EndsCancel)
        {
            await Sql.ExecAsync(connection, null,
                $"""
                UPDATE ota_task_vin SET cancel_notice = {Sql.Text(CancelNoticeState.Acknowledged)}, updated_at = @now
                WHERE vin = @vin AND task_id = @task AND state = {Cancelled} AND cancel_notice IS NOT NULL
                """, ct, ("@vin", vin), ("@task", actionId), ("@now", now.UtcDateTime));
        }
        if (ended || meaning.EndsCancel) await work.BumpAsync();
        return DdiFeedbackResult.Stored;
    }

    /// <summary>
    /// Two event ids (progress, status) from the feedback itself and the notice it answers: the same body posted again is
    /// the same events, while the same body after a resend (a new message id) is new.
    /// </summary>
    private static string[] EventIds(string vin, long actionId, string? messageId, DdiFeedbackTarget target, ReadOnlyMemory<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"ddi|{vin}|{actionId}|{messageId}|{target}|"));
        hash.AppendData(body.Span);
        var digest = hash.GetHashAndReset();
        return [Uuid(digest.AsSpan(0, 16)), Uuid(digest.AsSpan(16, 16))];
    }

    /// <summary>A name-based UUID (version 8, RFC 9562) from 16 bytes of a hash, lower-case with hyphens as events' ids are kept.</summary>
    private static string Uuid(ReadOnlySpan<byte> bytes)
    {
        Span<byte> b = stackalloc byte[16];
        bytes.CopyTo(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x80);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private sealed record ActionRow(TaskVinState State, string? MessageId, bool Notified, bool CancelOwed, TaskType Type, string TargetVersion,
        bool ClosedByDevice, bool Downloaded);
}
