using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Adapters;

namespace Ota.Infrastructure.Tests.Platform.Adapters;

/// <summary>The log service, message service and mobile push adapters.</summary>
public class JsonAdapters : IAsyncLifetime
{
    private RecordingHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await RecordingHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task LogServiceReceivesVinWindowAndReason()
    {
        await using var services = AdapterTestServices.Build(new() { ["Adapters:LogService:Url"] = _server.BaseUrl + "/log-readback" });
        var from = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

        var result = await services.GetRequiredService<ILogService>()
            .RequestReadBackAsync(new LogReadBackRequest("LSVAU2180N0000001", from, from.AddMinutes(30), "UpgradeFailed"));

        Assert.True(result.IsDelivered);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/log-readback", request.Path);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(["from", "reason", "to", "vin"], Names(json));
        Assert.Equal("LSVAU2180N0000001", json.RootElement.GetProperty("vin").GetString());
        Assert.Equal(from, json.RootElement.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(from.AddMinutes(30), json.RootElement.GetProperty("to").GetDateTimeOffset());
        Assert.Equal("UpgradeFailed", json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task MessageServiceReceivesRecipientTitleTextVinAndTask()
    {
        await using var services = AdapterTestServices.Build(new() { ["Adapters:MessageService:Url"] = _server.BaseUrl + "/messages" });

        var result = await services.GetRequiredService<IMessageService>()
            .SendAsync(new ServiceMessage("ota-ops", "Cannot compensate", "Resend limit reached", "LSVAU2180N0000001", 42));

        Assert.True(result.IsDelivered);
        using var json = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal(["taskId", "text", "title", "to", "vin"], Names(json));
        Assert.Equal("ota-ops", json.RootElement.GetProperty("to").GetString());
        Assert.Equal("Cannot compensate", json.RootElement.GetProperty("title").GetString());
        Assert.Equal("Resend limit reached", json.RootElement.GetProperty("text").GetString());
        Assert.Equal("LSVAU2180N0000001", json.RootElement.GetProperty("vin").GetString());
        Assert.Equal(42, json.RootElement.GetProperty("taskId").GetInt64());
    }

    [Fact]
    public async Task MobilePushReceivesVinKindTitleAndText()
    {
        await using var services = AdapterTestServices.Build(new() { ["Adapters:MobilePush:Url"] = _server.BaseUrl + "/push" });

        var result = await services.GetRequiredService<IMobilePush>()
            .PushAsync(new MobilePushMessage("LSVAU2180N0000001", MobilePushKind.PreconditionsNotMet, "Update waiting", "Park and charge"));

        Assert.True(result.IsDelivered);
        using var json = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal(["kind", "text", "title", "vin"], Names(json));
        Assert.Equal("PreconditionsNotMet", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task EachReportsNotConfiguredWithoutACall()
    {
        await using var services = AdapterTestServices.Build(new());

        var log = await services.GetRequiredService<ILogService>()
            .RequestReadBackAsync(new LogReadBackRequest("LSVAU2180N0000001", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "x"));
        var message = await services.GetRequiredService<IMessageService>().SendAsync(new ServiceMessage("a", "b", "c"));
        var push = await services.GetRequiredService<IMobilePush>()
            .PushAsync(new MobilePushMessage("LSVAU2180N0000001", MobilePushKind.UpgradeSucceeded, "t", "x"));

        Assert.Equal(AdapterOutcome.NotConfigured, log.Outcome);
        Assert.Equal(AdapterOutcome.NotConfigured, message.Outcome);
        Assert.Equal(AdapterOutcome.NotConfigured, push.Outcome);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task RetriesAServerErrorThenReportsFailure()
    {
        _server.DefaultAnswer = (502, "bad gateway");
        await using var services = AdapterTestServices.Build(new() { ["Adapters:MobilePush:Url"] = _server.BaseUrl + "/push" });

        var result = await services.GetRequiredService<IMobilePush>()
            .PushAsync(new MobilePushMessage("LSVAU2180N0000001", MobilePushKind.UpgradeFailed, "t", "x"));

        Assert.Equal(AdapterOutcome.Failed, result.Outcome);
        Assert.Equal("HTTP 502 Bad Gateway", result.Error);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task DoesNotRetryARejectedRequest()
    {
        _server.DefaultAnswer = (400, """{"error":"vin unknown"}""");
        await using var services = AdapterTestServices.Build(new() { ["Adapters:MessageService:Url"] = _server.BaseUrl + "/messages" });

        var result = await services.GetRequiredService<IMessageService>().SendAsync(new ServiceMessage("a", "b", "c"));

        Assert.Equal("HTTP 400 Bad Request", result.Error);
        Assert.Single(_server.Requests);
    }

    private static string[] Names(JsonDocument json) =>
        json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
}
