namespace Ota.EndToEnd.Tests;

/// <summary>
/// A class of browser journeys: the pages each test opened are closed when it ends (an open console page keeps its live
/// refresh going, and forgotten pages loaded the shared machine under the other tests).
/// </summary>
public abstract class Journey(BrowserFixture fixture) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = fixture;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Browser.ClosePagesAsync();
}
