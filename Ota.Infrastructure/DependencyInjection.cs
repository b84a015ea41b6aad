using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Administration;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Ddi;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.EventReports;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Operations;
using Ota.Infrastructure.PackageInfo;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Adapters;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Documents;
using Ota.Infrastructure.Platform.Files;
using Ota.Infrastructure.Platform.Health;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Jobs;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Redis;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Platform.Telemetry;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.Rollouts;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Everything a command-line run needs: the platform, the shared facts and every flow. No background servers.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatform(configuration).AddFacts()
            .AddVinLists().AddTasks().AddPush().AddCompensation().AddRollouts()
            .AddPackageInfo().AddEventReports().AddDdi().AddFollowUps()
            .AddCatalog().AddFleet().AddSingleton<DemoFiles>().AddSingleton<DemoWorld>();

    /// <summary>Persistence, Redis and the job storage, MQTT, keys, security, identity, auditing, adapters, documents.</summary>
    private static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OtaOptions>().BindConfiguration(OtaOptions.Section);
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<VehicleApiOptions>().BindConfiguration(VehicleApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddAuditing();
        services.AddMySql();
        services.AddConsoleIdentity();
        services.AddRedis();
        services.AddKeyService();
        services.AddSingleton<VehicleCertificateAuthority>();
        services.AddSingleton<LocalWorkQueue>();
        services.AddDocumentStore();
        services.AddFileStore();
        services.AddMqttNotices(configuration);
        services.AddOtaAdapters(configuration);
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyRevocations>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<SeenSignatures>();
        services.AddSingleton<VehicleSecretWrapping>();
        services.AddSingleton<VehicleSecretRotations>();
        services.AddSingleton<VehicleSecrets>();
        services.AddSingleton<SigningKeyGeneration>();
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<IDataMigration, WrapClearVehicleSecrets>();
        services.AddHangfireStorage();
        services.AddSingleton<IGaugeSource, JobQueueGauges>();
        services.AddMetrics();
        services.AddSingleton<FleetGauges>();
        services.AddSingleton<OtaMetrics>();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        return services;
    }

    /// <summary>The sampler that keeps the gauges of <see cref="OtaMetrics"/> current, for a host that exports metrics.</summary>
    public static IServiceCollection AddGaugeSampler(this IServiceCollection services) => services.AddHostedService<GaugeSampler>();

    /// <summary>What a serving instance adds: Hangfire storage and server, health checks.</summary>
    public static IServiceCollection AddBackgroundWork(this IServiceCollection services)
    {
        services.AddHangfireServer((sp, server) =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            server.WorkerCount = options.HangfireWorkers;
            server.SchedulePollingInterval = options.SchedulePollingInterval;
            server.ServerName = sp.GetRequiredService<IOptions<OtaOptions>>().Value.InstanceName;
        });
        services.AddHostedService<RecurringJobSchedule>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalWorkQueue>());
        services.AddFollowUpWorker();
        services.AddRolloutEvaluator();
        services.AddHostedService<SigningKeyWarmUp>();
        services.AddHealthChecks()
            .AddCheck<MySqlHealthCheck>("mysql")
            .AddCheck<RedisHealthCheck>("redis");
        return services;
    }

    /// <summary>
    /// The console's page-facing services, for a host that serves the console: one per circuit (scoped), holding no
    /// DbContext (each operation opens its own from the factory), checking the user's role before every change.
    /// </summary>
    public static IServiceCollection AddConsoleServices(this IServiceCollection services)
    {
        services.AddScoped<ConsoleUser>();
        services.AddScoped<TaskQueries>();
        services.AddScoped<TaskCommands>();
        services.AddScoped<StrategyService>();
        services.AddScoped<CatalogQueries>();
        services.AddScoped<PackageCommands>();
        services.AddScoped<VehicleService>();
        services.AddScoped<ListService>();
        services.AddScoped<AdminService>();
        services.AddScoped<OperationsQueries>();
        services.AddSingleton<FailuresWorkbook>();
        services.AddScoped<RolloutConsole>();
        return services;
    }

    /// <summary>Where jobs are kept (Redis); enough to enqueue from the command line. The server that runs them is in <see cref="AddBackgroundWork"/>.</summary>
    private static void AddHangfireStorage(this IServiceCollection services)
    {
        // Each container gets the storage built for it. Hangfire's own registration (a TryAdd, so this one registered first
        // wins) hands out the process-wide JobStorage.Current, whichever container set it last: app hosts sharing a
        // process (tests, several instances) got each other's storage, or one whose Redis connection was disposed.
        services.AddSingleton<JobStorage>(sp =>
        {
            ConfigureProcessWide(GlobalConfiguration.Configuration);
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var connection = sp.GetRequiredService<HangfireRedis>().Connection;
            var redis = new RedisStorage(connection, new RedisStorageOptions
            {
                Prefix = options.HangfirePrefix,
                Db = options.Database,
                // A job of an instance that died is handed to another after this long.
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
                FetchTimeout = options.HangfireFetchTimeout,
            });
            // Idle workers wait out a Redis outage instead of falling into Hangfire's back-off (minutes after a long one).
            return new OutageTolerantJobStorage(redis, () => connection.IsConnected, sp.GetRequiredService<ILogger<OutageTolerantJobStorage>>());
        });
        // The same for the activator that builds each job's services: Hangfire's registration hands out the process-wide
        // JobActivator.Current, the last one any container set. Hosts started together (parallel test classes) ran their
        // jobs in each other's containers, on each other's databases, or in one already disposed.
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(ConfigureProcessWide);
    }

    /// <summary>Hangfire's process-wide settings: how jobs are serialized and logged (the same for every container).</summary>
    private static void ConfigureProcessWide(IGlobalConfiguration config) => config.UseLogProvider(HangfireLogProvider.Instance)
        .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
        .UseSimpleAssemblyNameTypeSerializer()
        .UseTypeResolver(ResolveJobType)
        .UseRecommendedSerializerSettings();

    /// <summary>
    /// Job types by the names Hangfire stored them under, the names they had before they moved folders: a job queued (or
    /// waiting for a retry) by the earlier layout still runs after an upgrade.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, Type> MovedJobTypes = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["Ota.Infrastructure.Validation.ValidationJobs, Ota.Infrastructure"] = typeof(ValidationJobs),
    };

    internal static Type ResolveJobType(string name) =>
        MovedJobTypes.TryGetValue(name, out var moved) ? moved : TypeHelper.DefaultTypeResolver(name);

    // Connection strings are read when first needed, not at registration, so a test host can supply its own.
    private static void AddMySql(this IServiceCollection services)
    {
        services.AddSingleton(sp => new MySqlConnectionFactory(MySqlSetup.ForBulk(OtaConnectionString(sp))));
        services.AddSingleton<StatelessMySqlConnections>();
        services.AddSingleton<DatabaseMigrations>();
        services.AddPooledDbContextFactory<OtaDbContext>((sp, options) =>
        {
            MySqlSetup.Configure(options, OtaConnectionString(sp));
            options.AddInterceptors(sp.GetRequiredService<AuditInterceptor>());
        });
    }

    private static string OtaConnectionString(IServiceProvider sp) =>
        sp.GetRequiredService<IConfiguration>().GetConnectionString("Ota")
        ?? throw new InvalidOperationException("ConnectionStrings:Ota is not configured.");
}
