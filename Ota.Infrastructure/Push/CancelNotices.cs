using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.Push;

/// <summary>
/// Sends the cancel notices that are due (<c>"kind": "cancel"</c>): task-VINs an operator cancelled after the vehicle
/// was (or may have been) told about the task. Called right after a cancellation and by every push run, so a cancel
/// notice the broker did not take is sent later. Due rows are claimed like the push claims task-VINs, and a row still
/// held by a push chunk (its upgrade notice on the way) waits until that chunk is done, so the cancel follows the upgrade.
/// </summary>
public sealed partial class CancelNotices(
    MySqlConnectionFactory connections, INoticeSender sender, DdiWork ddiWork, IOptions<PushOptions> options, IOptions<MqttOptions> mqtt,
    IOptions<OtaOptions> ota, TimeProvider clock, ILogger<CancelNotices> logger)
{
    private static readonly BulkColumn<(long TaskId, string Vin)>[] TaskVinColumns =
    [
        new("task_id", typeof(long), r => r.TaskId),
        new("vin", typeof(string), r => r.Vin),
    ];

    private static readonly string Due = Sql.Text(CancelNoticeState.Due);
    private static readonly string Sent = Sql.Text(CancelNoticeState.Sent);

    public sealed record Result(int Sent, int Failed, string? FirstError);

    /// <summary>Sends the due cancel notices of one task, or of every task when <paramref name="taskId"/> is null.</summary>
    public async Task<Result> SendDueAsync(long? taskId, CancellationToken ct)
    {
        int sent = 0, failed = 0;
        string? firstError = null;
        await using var connection = await connections.OpenAsync(ct);
        while (true)
        {
            var claim = Lease.NewToken(ota.Value.InstanceName);
            var leaseClock = await Lease.ClockAsync(connection, null, ct);
            var claimed = await Sql.ExecAsync(connection, null,
                $"""
                UPDATE ota_task_vin SET claimed_by = @claim, lease_until = {Lease.Until}
                WHERE cancel_notice = {Due} AND {Lease.Free()} {(taskId is null ? "" : "AND task_id = @task")}
                LIMIT @size
                """, ct, ("@claim", claim), leaseClock, Lease.Length(options.Value.Lease), ("@task", taskId), ("@size", options.Value.ChunkSize));
            if (claimed == 0) break;

            var notices = new List<VehicleNotice>(claimed);
            await using (var command = Sql.Command(connection, null,
                $"""
                SELECT tv.task_id, tv.vin, t.target_version, t.package_id, t.type, t.generation, v.update_client
                FROM ota_task_vin tv JOIN ota_task t ON t.id = tv.task_id LEFT JOIN ota_vehicle v ON v.vin = tv.vin
                WHERE tv.cancel_notice = {Due} AND tv.claimed_by = @claim
                """, ("@claim", claim)))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var (task, vin) = (reader.GetInt64(0), reader.GetString(1));
                    notices.Add(new VehicleNotice(NoticeIds.Cancel(task, vin), task, vin, reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3), Enum.Parse<TaskType>(reader.GetString(4)),
                        Enum.Parse<Generation>(reader.GetString(5)), NoticeKind.Cancel,
                        reader.IsDBNull(6) ? UpdateClient.Native : Enum.Parse<UpdateClient>(reader.GetString(6))));
                }
            }

            var notSent = new List<(long, string)>();
            var batchSize = Math.Max(1, mqtt.Value.BatchSize);
            for (var start = 0; start < notices.Count; start += batchSize)
            {
                var result = await PolledNotices.SendAsync(sender, notices.GetRange(start, Math.Min(batchSize, notices.Count - start)), ct);
                foreach (var failure in result.Failures) notSent.Add((failure.Notice.TaskId, failure.Notice.Vin));
                if (!result.AllSent) firstError ??= result.Failures[0].Error;
            }
            await RecordAsync(connection, claim, notSent, CancellationToken.None);
            // A DDI device sees the cancel action on its next poll (SPEC §14).
            if (PolledNotices.AnyPolled(notices)) await ddiWork.BumpAsync();
            sent += notices.Count - notSent.Count;
            failed += notSent.Count;
            // The broker is not taking notices: the rest waits for the next push run.
            if (notSent.Count > 0) break;
        }
        if (sent + failed > 0) LogCancelNotices(sent, failed, firstError ?? "");
        return new Result(sent, failed, firstError);
    }

    private async Task RecordAsync(MySqlConnection connection, string claim, List<(long TaskId, string Vin)> notSent, CancellationToken ct)
    {
        if (notSent.Count > 0)
        {
            await Sql.ExecAsync(connection, null, "DROP TEMPORARY TABLE IF EXISTS tmp_cancel_failed", ct);
            await Sql.ExecAsync(connection, null,
                $"CREATE TEMPORARY TABLE tmp_cancel_failed (task_id BIGINT NOT NULL, vin {VinColumn.SqlType} NOT NULL, PRIMARY KEY (task_id, vin)) ENGINE=InnoDB", ct);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await Sql.InTransactionAsync(connection, async tx =>
        {
            if (notSent.Count > 0)
            {
                await Sql.ExecAsync(connection, tx, "DELETE FROM tmp_cancel_failed", ct);
                await BulkLoader.LoadAsync(connection, tx, "tmp_cancel_failed", notSent, TaskVinColumns, ct);
                await Sql.ExecAsync(connection, tx,
                    """
                    UPDATE ota_task_vin tv JOIN tmp_cancel_failed f ON f.task_id = tv.task_id AND f.vin = tv.vin
                    SET tv.claimed_by = NULL, tv.lease_until = NULL
                    WHERE tv.claimed_by = @claim
                    """, ct, ("@claim", claim));
            }
            await Sql.ExecAsync(connection, tx,
                $"UPDATE ota_task_vin SET cancel_notice = {Sent}, lease_until = NULL, updated_at = @now WHERE cancel_notice = {Due} AND claimed_by = @claim AND lease_until IS NOT NULL",
                ct, ("@claim", claim), ("@now", now));
            return await Sql.ExecAsync(connection, tx,
                $"""
                INSERT INTO ota_vehicle_download_notice (task_id, vin, package_id, version, upgrade_type, message_id, kind, resend_count, sent_at)
                SELECT tv.task_id, tv.vin, t.package_id, t.target_version, t.type, {NoticeIds.CancelSql("tv")},
                       {Sql.Text(NoticeKind.Cancel)}, tv.resend_count, @now
                FROM ota_task_vin tv JOIN ota_task t ON t.id = tv.task_id
                WHERE tv.cancel_notice = {Sent} AND tv.claimed_by = @claim AND tv.lease_until IS NULL
                """, ct, ("@claim", claim), ("@now", now));
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel notices: {Sent} sent, {Failed} not taken by the broker (first error: {FirstError})")]
    private partial void LogCancelNotices(int sent, int failed, string firstError);
}
