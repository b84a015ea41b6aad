using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Simulator;

/// <summary>The vehicle's side of the vehicle API (SPEC §7): every request signed as SPEC §10 says.</summary>
public sealed class VehicleApiClient(HttpClient http)
{
    /// <param name="Bytes">The body exactly as received (what <see cref="BodySignature"/> covers).</param>
    /// <param name="KeyId">The answer's <c>X-Ota-Key-Id</c>, if any.</param>
    /// <param name="Signature">The answer's <c>X-Ota-Body-Signature</c>, if any.</param>
    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string Raw, byte[] Bytes, string? KeyId = null, string? Signature = null);

    public Task<Answer> PackageInfoAsync(SimulatedVehicle vehicle, string targetVersion, long taskId, CancellationToken ct) =>
        PostAsync(vehicle, "api/vehicle/v1/package-info", new JsonObject
        {
            ["vin"] = vehicle.Vin,
            ["currentVersion"] = vehicle.FirmwareVersion,
            ["targetVersion"] = targetVersion,
            ["taskId"] = taskId,
        }, ct);

    public Task<Answer> EventsAsync(SimulatedVehicle vehicle, JsonArray events, CancellationToken ct) =>
        PostAsync(vehicle, "api/vehicle/v1/events", new JsonObject { ["vin"] = vehicle.Vin, ["events"] = events }, ct);

    /// <summary>The product's public signing keys (SPEC §15), asked with <paramref name="vehicle"/>'s credentials.</summary>
    public Task<Answer> SigningKeysAsync(SimulatedVehicle vehicle, CancellationToken ct) =>
        SendAsync(vehicle, HttpMethod.Get, "api/vehicle/v1/signing-keys", [], ct);

    private Task<Answer> PostAsync(SimulatedVehicle vehicle, string path, JsonObject body, CancellationToken ct) =>
        SendAsync(vehicle, HttpMethod.Post, path, Encoding.UTF8.GetBytes(body.ToJsonString()), ct);

    private async Task<Answer> SendAsync(SimulatedVehicle vehicle, HttpMethod method, string path, byte[] bytes, CancellationToken ct)
    {
        var answer = await SendSignedAsync(vehicle, method, path, bytes, ct);
        // The server takes a signed request once (SPEC §10). The same body signed twice within one second (a vehicle
        // asking for the same description again at once) is the same request: sign it again in the next second.
        if (answer.Status == HttpStatusCode.Unauthorized && answer.Raw.Contains("\"REPLAYED\"", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000 - DateTimeOffset.UtcNow.Millisecond), ct);
            answer = await SendSignedAsync(vehicle, method, path, bytes, ct);
        }
        return answer;
    }

    private async Task<Answer> SendSignedAsync(SimulatedVehicle vehicle, HttpMethod method, string path, byte[] bytes, CancellationToken ct)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new("application/json");
        }
        request.Headers.Add(VehicleSignature.VinHeader, vehicle.Vin);
        request.Headers.Add(VehicleSignature.TimestampHeader, timestamp);
        request.Headers.Add(VehicleSignature.SignatureHeader, VehicleSignature.Compute(vehicle.Secret, timestamp, bytes));
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var raw = Encoding.UTF8.GetString(body);
        return new Answer(response.StatusCode, ParseOrNull(raw), raw, body,
            Header(response, BodySignature.KeyIdHeader), Header(response, BodySignature.SignatureHeader));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>An answer's body as JSON; null when it is empty or not JSON (the caller says what it expected).</summary>
    internal static JsonNode? ParseOrNull(string raw)
    {
        if (raw.Length == 0) return null;
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
