using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ota.Infrastructure.Tests.Platform.Adapters;

/// <summary>A request the server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string? ContentType, string Body);

/// <summary>A real Kestrel server on 127.0.0.1 that records every request and answers from a script.</summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();

    private RecordingHttpServer(WebApplication app) => _app = app;

    /// <summary>Base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The answer once the script is used up.</summary>
    public (int Status, string Body) DefaultAnswer { get; set; } = (200, """{"code":0,"msg":"success","data":{}}""");

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<RecordingHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RecordingHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return server;
    }

    /// <summary>Answers the next requests with these, in order.</summary>
    public void Answer(params (int Status, string Body)[] answers)
    {
        foreach (var answer in answers) _script.Enqueue(answer);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.ContentType, body));
        var (status, answer) = _script.TryDequeue(out var next) ? next : DefaultAnswer;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer);
    }
}
