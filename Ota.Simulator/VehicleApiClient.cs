using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ota.Infrastructure.Security;

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
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(VehicleSignature.VinHeader, vehicle.Vin);
        request.Headers.Add(VehicleSignature.TimestampHeader, timestamp);
        request.Headers.Add(VehicleSignature.SignatureHeader, VehicleSignature.Compute(vehicle.Secret, timestamp, bytes));
        using var response = await http.SendAsync(request, ct);
        var raw = await response.Content.ReadAsStringAsync(ct);
        JsonNode? json = null;
        if (raw.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(raw);
            }
            catch (JsonException)
            {
                json = null;
            }
        }
        return new Answer(response.StatusCode, json, raw);
    }
}
