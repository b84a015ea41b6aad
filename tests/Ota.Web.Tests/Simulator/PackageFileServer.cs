using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Ota.Simulator;

namespace Ota.Web.Tests.Simulator;

/// <summary>A request for a file, as the server saw it.</summary>
public sealed record FileRequest(string Name, string? Range, string? IfRange);

/// <summary>
/// A real Kestrel server on a free loopback port serving package files as SPEC §13 says: range requests (206),
/// <c>If-Range</c>, a strong ETag and the SHA-256 header, all through <c>Results.File</c>. A test can make it cut a
/// file's first answer mid-way, announce a wrong checksum, answer problem+json refusals, or stall.
/// </summary>
public sealed class PackageFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder = Directory.CreateTempSubdirectory("ota-sim-files-").FullName;
    private readonly ConcurrentQueue<FileRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Served> _files = new();
    private string _baseUrl = "";

    private sealed class Served
    {
        public required string Sha256 { get; set; }
        public string? AnnouncedSha256 { get; set; }
        /// <summary>The first answer sends these bytes (the file as it was, say) under this ETag, then the connection drops.</summary>
        public (byte[] Bytes, string ETag)? CutFirst { get; set; }
        public (int Status, string? Code)? Refusal { get; set; }
        /// <summary>Sends this many bytes, then nothing more until the client goes away.</summary>
        public long? StallAfter { get; set; }
    }

    private PackageFileServer(WebApplication app) => _app = app;

    public IReadOnlyList<FileRequest> Requests => _requests.ToArray();

    public IReadOnlyList<FileRequest> RequestsFor(string name) => _requests.Where(r => r.Name == name).ToList();

    public static async Task<PackageFileServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new PackageFileServer(app);
        app.MapGet("/files/v1/{name}", server.ServeAsync);
        await app.StartAsync();
        server._baseUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return server;
    }

    /// <summary>Serves <paramref name="content"/> under <paramref name="name"/>; the description of it is returned.</summary>
    public PackageFile Add(string ecuCode, string name, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(_folder, name), content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        _files[name] = new Served { Sha256 = sha256 };
        return new PackageFile(ecuCode, name, content.Length, sha256, new Uri($"{_baseUrl}/files/v1/{name}"));
    }

    /// <summary>The first answer for <paramref name="name"/> drops its connection after <paramref name="bytes"/> bytes.</summary>
    public void CutFirstAnswer(string name, long bytes)
    {
        var served = _files[name];
        var content = File.ReadAllBytes(Path.Combine(_folder, name));
        served.CutFirst = (content[..(int)bytes], ETagOf(served.Sha256));
    }

    /// <summary>The first answer sends the start of <paramref name="before"/> (what the file held then) and drops; the file is what was added.</summary>
    public void CutFirstAnswerOfEarlierContent(string name, byte[] before, long bytes) =>
        _files[name].CutFirst = (before[..(int)bytes], ETagOf(Convert.ToHexStringLower(SHA256.HashData(before))));

    public void AnnounceSha256(string name, string sha256) => _files[name].AnnouncedSha256 = sha256;

    public void Refuse(string name, int status, string? code) => _files[name].Refusal = (status, code);

    public void StallAfter(string name, long bytes) => _files[name].StallAfter = bytes;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string ETagOf(string sha256) => $"\"{sha256[..20]}\"";

    private async Task<IResult> ServeAsync(string name, HttpContext context)
    {
        var headers = context.Request.Headers;
        _requests.Enqueue(new FileRequest(name, headers.Range.Count > 0 ? headers.Range.ToString() : null, headers.IfRange.Count > 0 ? headers.IfRange.ToString() : null));
        if (!_files.TryGetValue(name, out var served))
            return Results.Problem(statusCode: 404, extensions: new Dictionary<string, object?> { ["code"] = "FILE_NOT_FOUND" });
        if (served.Refusal is { } refusal)
            return Results.Problem(statusCode: refusal.Status, extensions: new Dictionary<string, object?> { ["code"] = refusal.Code });

        var path = Path.Combine(_folder, name);
        if (served.CutFirst is { } cut)
        {
            served.CutFirst = null;
            var response = context.Response;
            response.ContentLength = new FileInfo(path).Length;
            response.Headers.ETag = cut.ETag;
            response.Headers.AcceptRanges = "bytes";
            await response.Body.WriteAsync(cut.Bytes);
            await response.Body.FlushAsync();
            // Long enough for the bytes to reach the client before the connection is torn down.
            await Task.Delay(300);
            context.Abort();
            return Results.Empty;
        }
        if (served.StallAfter is { } stall)
        {
            var content = await File.ReadAllBytesAsync(path);
            context.Response.ContentLength = content.Length;
            context.Response.Headers.ETag = ETagOf(served.Sha256);
            await context.Response.Body.WriteAsync(content.AsMemory(0, (int)stall));
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return Results.Empty;
        }
        context.Response.Headers[FileTransfer.ChecksumHeader] = served.AnnouncedSha256 ?? served.Sha256;
        return Results.File(path, "application/octet-stream", enableRangeProcessing: true, entityTag: EntityTagHeaderValue.Parse(ETagOf(served.Sha256)));
    }
}
