using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Faults;

/// <summary>Every log line the app writes, at every level, kept for the test to read.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            logs.Lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
    }
}

/// <summary>The app at its most talkative (Trace), its log captured whole.</summary>
public sealed class TraceLoggedAppFactory(MariaDbFixture database, RedisFixture redis, CapturedLogs logs) : OtaAppFactory(database, redis)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(logs);
        });
    }
}

public sealed class TraceLoggedAppFixture : AppFixture
{
    public CapturedLogs Logs { get; } = new();

    protected override OtaAppFactory CreateApp() => new TraceLoggedAppFactory(Database, Redis, Logs);

    protected override void Configure(OtaAppFactory app)
    {
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Hangfire", "System" })
            app.Settings[$"Logging:LogLevel:{category}"] = "Trace";
    }
}

/// <summary>
/// Secrets never reach the log (SPEC §10): vehicle secrets and signatures, API keys (good and bad), console passwords,
/// the master key and the database password, through good calls and failing ones, with every category at Trace.
/// </summary>
public sealed class SecretsStayOutOfLogs(TraceLoggedAppFixture fixture) : IClassFixture<TraceLoggedAppFixture>
{
    [Fact]
    public async Task NoSecretAppearsInAnyLogLineEvenAtTrace()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var vin = TestFleet.TestVin(1, 'K');
        await fleet.AddVehiclesAsync([await fleet.VehicleAsync(vin)]);
        var (_, apiKey) = await services.GetRequiredService<ApiKeyStore>().CreateAsync("logged");
        var login = await ConsoleLogins.CreateAsync(services, ConsoleRoles.Operator);
        using var client = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var description = await AskAsync(client, vin, "3.1.4", "3.1.5");
        Assert.Equal(HttpStatusCode.OK, description.StatusCode);
        var forged = await PostSignedAsync(client, PackageInfo, vin, "{}", secret: "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var wrongKey = $"ota_{Guid.NewGuid():N}";
        foreach (var key in new[] { apiKey, wrongKey })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/ota/open/api/task/verify")
            {
                Content = new StringContent("""{"type":"Normal","seriesModel":"S1-M1","targetVersion":"3.1.5","vins":["LTESTK00000000001"]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", key);
            await client.SendAsync(request);
        }
        await ConsoleLogins.SignInAsync(client, login with { Password = login.Password + "-wrong" });
        await ConsoleLogins.SignInAsync(client, login);

        var database = new MySqlConnectionStringBuilder(fixture.Database.ConnectionString).Password;
        var lines = fixture.Logs.Lines.ToArray();
        Assert.True(lines.Length > 100, $"only {lines.Length} log lines: the capture is not working");
        (string What, string Secret)[] secrets =
        [
            ("the vehicle's secret", SecretOf(vin)), ("the API key", apiKey), ("the wrong API key", wrongKey),
            ("the console password", login.Password), ("the master key", TestEnvironment.MasterKey),
        ];
        if (database.Length >= 6) secrets = [.. secrets, ("the database password", database)];
        foreach (var (what, secret) in secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"{what} is in the log: {leak}");
        }
    }
}
