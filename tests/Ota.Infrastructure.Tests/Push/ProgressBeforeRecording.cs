using MySqlConnector;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>
/// A vehicle can get its notice, fetch its package and report progress before the push has recorded the notice (the
/// rest of the chunk is still being sent). Its report moves the task-VIN on; the push must then record the notice all the
/// same and leave the progress as it is. (The 10-minute soak found notices sent and never recorded this way.)
/// </summary>
public sealed class ProgressBeforeRecording(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private NoticeWorld _world = null!;

    public async Task InitializeAsync() => _world = await NoticeWorld.StartAsync(db, redis, new Dictionary<string, string?>
    {
        // One chunk of 20, one notice at a time, 10 a second: about two seconds between the first notice and the recording.
        ["Push:ChunkSize"] = "20",
        ["Push:Workers"] = "1",
        ["Push:MaxNoticesPerSecond"] = "10",
        ["Mqtt:BatchSize"] = "1",
    });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task AVehicleReportingBeforeItsNoticeIsRecordedKeepsItsProgressAndTheNoticeIsRecorded()
    {
        var vins = await _world.AddVehiclesAsync('P', 20);
        var taskId = await _world.PublishTaskAsync(vins);

        var push = _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(1, NoticeWorld.Patience);
        var quick = _world.Subscriber.Received[0].Message!.Vin;
        // What the follow-up decision of the vehicle's "Downloading" report does to its task-VIN.
        Assert.Equal(1, await ExecAsync($"UPDATE ota_task_vin SET state = 'Downloading' WHERE task_id = {taskId} AND vin = '{quick}'"));
        Assert.False(push.IsCompleted, "the push recorded the chunk before the report: nothing raced");
        var report = await push.WaitAsync(NoticeWorld.Patience);

        Assert.Equal(20, report.Sent);
        Assert.Equal(20, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Equal(1, await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND vin = '{quick}' AND state = 'Downloading' AND notified_at IS NOT NULL AND message_id = '{taskId}-{quick}-0' AND lease_until IS NULL"));
        Assert.Equal(19, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified' AND lease_until IS NULL"));
    }

    private async Task<int> ExecAsync(string sql)
    {
        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
