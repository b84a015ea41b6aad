using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Security;
using Ota.Simulator;
using Ota.Testing;

namespace Ota.Web.Tests.Simulator;

/// <summary>
/// A real Kestrel server on a free loopback port answering the vehicle API calls a simulated vehicle makes (SPEC §7):
/// package-info with a description naming the files given, signed by a key of its own (SPEC §15), the signing keys, and
/// events, accepted and kept for the test.
/// </summary>
public sealed class VehicleApiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private IReadOnlyList<PackageFile> _files = [];
    private readonly TestSigningKey _key = TestSigningKey.Create();

    private VehicleApiStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<JsonObject> Events => _events.ToArray();

    public static async Task<VehicleApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new VehicleApiStandIn(app);
        app.MapPost("/api/vehicle/v1/package-info", standIn.DescribeAsync);
        app.MapPost("/api/vehicle/v1/events", standIn.KeepEventsAsync);
        app.MapGet("/api/vehicle/v1/signing-keys", standIn.PublishKeyAsync);
        await app.StartAsync();
        standIn.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/");
        return standIn;
    }

    /// <summary>The files the next descriptions name, in upgrade order.</summary>
    public void Describe(params PackageFile[] files) => _files = files;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task DescribeAsync(HttpContext context)
    {
        var request = (await JsonNode.ParseAsync(context.Request.Body))!;
        var ecus = new JsonArray();
        foreach (var (file, order) in _files.Select((f, i) => (f, i + 1)))
        {
            ecus.Add(new JsonObject
            {
                ["ecuCode"] = file.EcuCode, ["ecuName"] = file.EcuCode, ["order"] = order, ["packageKind"] = "Full",
                ["fileName"] = file.FileName, ["fileSize"] = file.Size, ["sha256"] = file.Sha256, ["url"] = file.Url.ToString(),
                ["fromVersion"] = "3.1.4", ["version"] = request["targetVersion"]!.GetValue<string>(),
            });
        }
        var description = new JsonObject
        {
            ["descriptionId"] = Guid.NewGuid().ToString("N"), ["vin"] = request["vin"]!.GetValue<string>(), ["taskId"] = request["taskId"]?.GetValue<long>(),
            ["generation"] = "OTA1", ["packageId"] = 7, ["packageType"] = "Full", ["fromVersion"] = "3.1.4",
            ["targetVersion"] = request["targetVersion"]!.GetValue<string>(), ["compareVersion"] = true,
            ["strategy"] = new JsonObject { ["id"] = 1, ["name"] = "default", ["source"] = "Task" }, ["encryption"] = null, ["ecus"] = ecus,
        };
        var body = Encoding.UTF8.GetBytes(description.ToJsonString());
        context.Response.Headers[BodySignature.KeyIdHeader] = _key.Key.KeyId;
        context.Response.Headers[BodySignature.SignatureHeader] = _key.Key.Sign(body);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body);
    }

    private async Task PublishKeyAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new PublishedSigningKeys([_key.Published]), SigningKeyJsonContext.Default.PublishedSigningKeys));
    }

    private async Task KeepEventsAsync(HttpContext context)
    {
        var request = (await JsonNode.ParseAsync(context.Request.Body))!;
        var events = request["events"]!.AsArray();
        foreach (var e in events) _events.Enqueue(e!.AsObject());
        await AnswerAsync(context, new JsonObject { ["accepted"] = events.Count, ["duplicates"] = 0, ["rejected"] = new JsonArray() });
    }

    private static async Task AnswerAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
