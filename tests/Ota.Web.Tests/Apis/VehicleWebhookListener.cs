using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ota.Web.Tests.Apis;

/// <summary>
/// A small HTTP server on a fixed loopback port standing in for the chat webhooks and the other systems the follow-ups
/// call: it records every request (path and JSON body) and answers Feishu's success. It can be started late, so a test
/// can see deliveries fail while nothing listens and succeed once it does.
/// </summary>
public sealed class VehicleWebhookListener : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Path, JsonNode Body)> _requests = new();
    private WebApplication? _app;

    public VehicleWebhookListener(int port) => Port = port;

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            _requests.Enqueue((context.Request.Path.Value ?? "", JsonNode.Parse(body)!));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"code":0,"msg":"success","data":{}}""");
        });
        await _app.StartAsync();
    }

    public IReadOnlyList<JsonNode> BodiesAt(string path) => _requests.Where(r => r.Path == path).Select(r => r.Body).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
