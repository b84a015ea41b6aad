using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Adapters;
using Ota.Infrastructure.Tests.Platform.Security;

namespace Ota.Infrastructure.Tests.Platform.Adapters;

public class FeishuWebhook : IAsyncLifetime
{
    private const string HookPath = "/open-apis/bot/v2/hook/5f0c1d2e-token";
    private const string Secret = "feishu-signing-secret";
    private RecordingHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await RecordingHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PostsASignedTextMessageWhenTheGroupHasASecret()
    {
        await using var services = AdapterTestServices.Build(new()
        {
            ["Webhooks:OperationsAssistant:Url"] = _server.BaseUrl + HookPath,
            ["Webhooks:OperationsAssistant:Secret"] = Secret,
        }, FixedClock.AtUnixSeconds(1_760_000_123));

        var result = await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.OperationsAssistant, "升级失败 LSVAU2180N0000001");

        Assert.Equal(AdapterOutcome.Delivered, result.Outcome);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(HookPath, request.Path);
        Assert.StartsWith("application/json", request.ContentType);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(["content", "msg_type", "sign", "timestamp"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("1760000123", root.GetProperty("timestamp").GetString());
        var expectedSign = Convert.ToBase64String(new HMACSHA256(Encoding.UTF8.GetBytes("1760000123\n" + Secret)).ComputeHash([]));
        Assert.Equal(expectedSign, root.GetProperty("sign").GetString());
        Assert.Equal("text", root.GetProperty("msg_type").GetString());
        Assert.Equal(["text"], root.GetProperty("content").EnumerateObject().Select(p => p.Name));
        Assert.Equal("升级失败 LSVAU2180N0000001", root.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task PostsAnUnsignedMessageWhenTheGroupHasNoSecret()
    {
        await using var services = AdapterTestServices.Build(new() { ["Webhooks:FactoryGroup:Url"] = _server.BaseUrl + HookPath });

        var result = await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.FactoryGroup, "sampling status");

        Assert.True(result.IsDelivered);
        Assert.Equal("""{"msg_type":"text","content":{"text":"sampling status"}}""", Assert.Single(_server.Requests).Body);
    }

    [Fact]
    public async Task SendsEachGroupToItsOwnWebhook()
    {
        await using var services = AdapterTestServices.Build(new()
        {
            ["Webhooks:OperationsAssistant:Url"] = _server.BaseUrl + "/ops",
            ["Webhooks:WorkOrderGroup:Url"] = _server.BaseUrl + "/work-orders",
            ["Webhooks:FactoryGroup:Url"] = _server.BaseUrl + "/factory",
        });
        var webhook = services.GetRequiredService<IChatWebhook>();

        await webhook.SendTextAsync(ChatGroup.WorkOrderGroup, "a");
        await webhook.SendTextAsync(ChatGroup.FactoryGroup, "b");
        await webhook.SendTextAsync(ChatGroup.OperationsAssistant, "c");

        Assert.Equal(["/work-orders", "/factory", "/ops"], _server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task TreatsANonZeroFeishuCodeAsFailure()
    {
        _server.Answer((200, """{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}"""));
        await using var services = AdapterTestServices.Build(new() { ["Webhooks:OperationsAssistant:Url"] = _server.BaseUrl + HookPath });

        var result = await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.OperationsAssistant, "x");

        Assert.Equal(AdapterOutcome.Failed, result.Outcome);
        Assert.Contains("19021", result.Error);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task RetriesAServerErrorThenReportsFailure()
    {
        _server.DefaultAnswer = (500, """{"error":"boom"}""");
        await using var services = AdapterTestServices.Build(new() { ["Webhooks:WorkOrderGroup:Url"] = _server.BaseUrl + HookPath });

        var result = await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.WorkOrderGroup, "x");

        Assert.Equal(AdapterOutcome.Failed, result.Outcome);
        Assert.Equal("HTTP 500 Internal Server Error", result.Error);
        Assert.Equal(3, _server.Requests.Count); // the first attempt and Adapters:Http:MaxRetryAttempts = 2 retries
    }

    [Fact]
    public async Task DeliversWhenARetrySucceeds()
    {
        _server.Answer((503, "{}"));
        await using var services = AdapterTestServices.Build(new() { ["Webhooks:WorkOrderGroup:Url"] = _server.BaseUrl + HookPath });

        var result = await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.WorkOrderGroup, "x");

        Assert.True(result.IsDelivered);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task ReportsNotConfiguredWithoutACall()
    {
        await using var services = AdapterTestServices.Build(new() { ["Webhooks:OperationsAssistant:Url"] = _server.BaseUrl + HookPath });

        var result = await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.FactoryGroup, "x");

        Assert.Equal(AdapterOutcome.NotConfigured, result.Outcome);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ReportsFailureWhenNothingListens()
    {
        await using var services = AdapterTestServices.Build(new()
        {
            ["Webhooks:OperationsAssistant:Url"] = $"http://127.0.0.1:{Mqtt.MqttTestSetup.UnusedPort()}{HookPath}",
        });

        var result = await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.OperationsAssistant, "x");

        Assert.Equal(AdapterOutcome.Failed, result.Outcome);
        Assert.DoesNotContain("token", result.Error);
    }

    [Fact]
    public async Task NeverLogsTheWebhookUrlOrSecret()
    {
        _server.DefaultAnswer = (500, "{}");
        var logs = new RecordingLoggerProvider();
        await using var services = AdapterTestServices.Build(new()
        {
            ["Webhooks:OperationsAssistant:Url"] = _server.BaseUrl + HookPath,
            ["Webhooks:OperationsAssistant:Secret"] = Secret,
        }, logs: logs);

        await services.GetRequiredService<IChatWebhook>().SendTextAsync(ChatGroup.OperationsAssistant, "x");

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, line => line.Contains("OperationsAssistant failed"));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("5f0c1d2e-token") || line.Contains(Secret));
    }

    [Fact]
    public void RejectsAWebhookUrlThatIsNotHttpAtStartUp()
    {
        using var services = AdapterTestServices.Build(new() { ["Webhooks:WorkOrderGroup:Url"] = "ftp://example.org/hook" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());
        Assert.Contains("Webhooks", error.Message);
    }
}
