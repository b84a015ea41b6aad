using Xunit;

namespace Ota.Testing;

/// <summary>One database, one Redis database and the app hosted on them, shared by the tests of a class.</summary>
public class AppFixture : IAsyncLifetime
{
    public MariaDbFixture Database { get; } = new();
    public RedisFixture Redis { get; } = new();
    public OtaAppFactory App { get; private set; } = null!;

    /// <summary>What a derived fixture must have running before the app starts (a private Redis, say).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>The app host; a derived fixture may bring a factory of its own (one that captures the log, say).</summary>
    protected virtual OtaAppFactory CreateApp() => new(Database, Redis);

    /// <summary>Settings a derived fixture wants on top of the defaults.</summary>
    protected virtual void Configure(OtaAppFactory app)
    {
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Redis.InitializeAsync();
        await BeforeStartAsync();
        App = CreateApp();
        Configure(App);
        await StartAsync(App);
    }

    /// <summary>Starts the host (in-memory test server by default).</summary>
    protected virtual Task StartAsync(OtaAppFactory app)
    {
        _ = app.Server;
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Redis.DisposeAsync();
        await Database.DisposeAsync();
    }
}
