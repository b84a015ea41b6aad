using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Ota.Simulator;

/// <summary>A DDI device's side of hawkBit's DDI v1 API (SPEC §14): every call with <c>Authorization: TargetToken</c>.</summary>
public sealed class DdiClient(HttpClient http, string tenant)
{
    /// <summary>An answer: its status, its JSON (null when it has none or is not JSON), its text, and how long it took to arrive whole.</summary>
    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string Raw, TimeSpan Took)
    {
        /// <summary>The problem's <c>code</c> of an error answer.</summary>
        public string? Code => Body is JsonObject o && o["code"] is JsonValue v && v.TryGetValue<string>(out var code) ? code : null;
    }

    public static AuthenticationHeaderValue Authorization(SimulatedVehicle device) => new("TargetToken", device.DdiToken);

    /// <summary><c>GET /{tenant}/controller/v1/{VIN}</c>, relative to the API's base address.</summary>
    public Task<Answer> PollAsync(SimulatedVehicle device, CancellationToken ct) =>
        SendAsync(device, HttpMethod.Get, $"{tenant}/controller/v1/{device.Vin}", null, ct);

    /// <summary>A link of an earlier answer (absolute, as hawkBit gives them).</summary>
    public Task<Answer> GetAsync(SimulatedVehicle device, string href, CancellationToken ct) => SendAsync(device, HttpMethod.Get, href, null, ct);

    public Task<Answer> PostAsync(SimulatedVehicle device, string href, JsonObject body, CancellationToken ct) =>
        SendAsync(device, HttpMethod.Post, href, body, ct);

    public Task<Answer> PutAsync(SimulatedVehicle device, string href, JsonObject body, CancellationToken ct) =>
        SendAsync(device, HttpMethod.Put, href, body, ct);

    /// <summary>A feedback in hawkBit's current shape (since 2024-12): <c>timestamp</c>, <c>status.execution</c>, <c>result.finished</c>, <c>progress</c>, <c>details</c>.</summary>
    public static JsonObject Feedback(string execution, string finished, (int Count, int Of)? progress, params string[] details)
    {
        var result = new JsonObject { ["finished"] = finished };
        if (progress is { } p) result["progress"] = new JsonObject { ["cnt"] = p.Count, ["of"] = p.Of };
        return new JsonObject
        {
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["status"] = new JsonObject
            {
                ["execution"] = execution,
                ["result"] = result,
                ["details"] = new JsonArray([.. details.Select(d => (JsonNode)JsonValue.Create(d))]),
            },
        };
    }

    private async Task<Answer> SendAsync(SimulatedVehicle device, HttpMethod method, string url, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = Authorization(device);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, ct);
        var raw = await response.Content.ReadAsStringAsync(ct);
        var took = Stopwatch.GetElapsedTime(started);
        return new Answer(response.StatusCode, VehicleApiClient.ParseOrNull(raw), raw, took);
    }
}
