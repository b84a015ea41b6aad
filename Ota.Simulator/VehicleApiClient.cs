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
    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string Raw);

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

    private async Task<Answer> PostAsync(SimulatedVehicle vehicle, string path, JsonObject body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var (status, raw) = await SendSignedAsync(vehicle, path, bytes, ct);
        // The server takes a signed request once (SPEC §10). The same body signed twice within one second (a vehicle
        // asking for the same description again at once) is the same request: sign it again in the next second.
        if (status == HttpStatusCode.Unauthorized && raw.Contains("\"REPLAYED\"", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000 - DateTimeOffset.UtcNow.Millisecond), ct);
            (status, raw) = await SendSignedAsync(vehicle, path, bytes, ct);
        }
        return new Answer(status, ParseOrNull(raw), raw);
    }

    private async Task<(HttpStatusCode Status, string Raw)> SendSignedAsync(SimulatedVehicle vehicle, string path, byte[] bytes, CancellationToken ct)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(VehicleSignature.VinHeader, vehicle.Vin);
        request.Headers.Add(VehicleSignature.TimestampHeader, timestamp);
        request.Headers.Add(VehicleSignature.SignatureHeader, VehicleSignature.Compute(vehicle.Secret, timestamp, bytes));
        using var response = await http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

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
