using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>
/// The infrastructure services on a test class's database and Redis database, with the embedded broker started on a
/// free port and a subscriber listening to every vehicle's notices: what the push, compensation and cancel tests share.
/// </summary>
public sealed class NoticeWorld : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NoticeWorld(ServiceProvider services, MariaDbFixture db, EmbeddedMqttBroker broker, MqttNoticeSubscriber subscriber)
    {
        Services = services;
        Db = db;
        Broker = broker;
        Subscriber = subscriber;
        Fleet = new TestFleet(services, db);
    }

    public ServiceProvider Services { get; }
    public MariaDbFixture Db { get; }
    public EmbeddedMqttBroker Broker { get; }
    public MqttNoticeSubscriber Subscriber { get; private set; }
    public TestFleet Fleet { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<NoticeWorld> StartAsync(MariaDbFixture db, RedisFixture redis, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Mqtt:Port"] = "0",
            ["Mqtt:ReconnectDelay"] = "00:00:00",
            ["Mqtt:PublishTimeout"] = "00:00:03",
            ["Ota:InstanceName"] = "tester",
        };
        if (settings is not null) foreach (var (k, v) in settings) values[k] = v;
        var services = TestServices.Create(db, redis, values, s =>
        {
            s.AddSingleton(sp => new PausingSender(sp.GetRequiredService<MqttNoticeSender>()));
            s.AddSingleton<INoticeSender>(sp => sp.GetRequiredService<PausingSender>());
        });
        var broker = services.GetRequiredService<EmbeddedMqttBroker>();
        await broker.StartAsync(CancellationToken.None);
        var subscriber = await Subscribe(broker.Port);
        var world = new NoticeWorld(services, db, broker, subscriber);
        await world.Fleet.ImportDemoCatalogAsync();
        return world;
    }

    private static Task<MqttNoticeSubscriber> Subscribe(int port) =>
        MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(port, maxRetained: 100_000));

    /// <summary>After the broker was stopped and started again, a new subscription (the old one went with the broker).</summary>
    public async Task ResubscribeAsync()
    {
        await Subscriber.DisposeAsync();
        Subscriber = await Subscribe(Broker.Port);
    }

    /// <summary>Vehicles a Normal S1-M1 task to 3.1.5 accepts.</summary>
    public async Task<string[]> AddVehiclesAsync(char letter, int count, int first = 1)
    {
        var vins = Enumerable.Range(first, count).Select(n => TestFleet.TestVin(n, letter)).ToArray();
        var rows = new List<Ota.Infrastructure.Fleet.VehicleRow>(count);
        var template = await Fleet.VehicleAsync(vins[0]);
        foreach (var vin in vins) rows.Add(template with { Vin = vin, Secret = $"secret-{vin}" });
        await Fleet.AddVehiclesAsync(rows);
        return vins;
    }

    /// <summary>Creates and publishes a task through validation, as the console and the open API do; returns its id.</summary>
    public async Task<long> PublishTaskAsync(IEnumerable<string> vins, TaskType type = TaskType.Normal, int priority = 0,
        DateTime? scheduledAt = null, string target = "3.1.5", string name = "campaign", bool publish = true, RolloutPlan? rollout = null)
    {
        var request = new ValidationRequest(type, TaskSource.Console, await Fleet.SeriesModelIdAsync("S1-M1"), target, "test")
        {
            Task = new TaskSpec(name, priority, scheduledAt, rollout),
            PublishWhenDone = publish,
        };
        var progress = await Get<TaskValidationService>().ValidateNowAsync(request, vins);
        if (progress.Status != ValidationRunStatus.Completed)
            throw new InvalidOperationException($"validation ended {progress.Status}: {string.Join(' ', progress.TaskCodes)} {progress.Error}");
        return progress.TaskId!.Value;
    }

    /// <summary>One push worker run in this process, as a Hangfire worker job would do it.</summary>
    public Task<PushWorkerReport> PushAsync() => Get<PushWorker>().RunAsync(CancellationToken.None);

    public Task<long> CountAsync(string table, string where) => Db.CountAsync(table, where);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new MySqlConnection(Db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<(string Vin, string State)>> TaskVinStatesAsync(long taskId)
    {
        var list = new List<(string, string)>();
        await using var connection = new MySqlConnection(Db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SELECT vin, state FROM ota_task_vin WHERE task_id = {taskId} ORDER BY vin", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add((reader.GetString(0), reader.GetString(1)));
        return list;
    }

    /// <summary>The notices received for a VIN, in arrival order.</summary>
    public IReadOnlyList<NoticeMessage> ReceivedFor(string vin) =>
        Subscriber.Received.Where(r => r.Message?.Vin == vin).Select(r => r.Message!).ToList();

    public async ValueTask DisposeAsync()
    {
        await Subscriber.DisposeAsync();
        await Services.DisposeAsync();
    }
}
