using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>The answer to a JSON POST: the outcome so far (HTTP level) and the response body when there was one.</summary>
internal readonly record struct JsonPostResponse(AdapterResult Result, string? Body);

/// <summary>POSTs JSON through an adapter's resilient client and turns every HTTP failure into a result, never an exception.</summary>
internal static class JsonPost
{
    public static async Task<JsonPostResponse> SendAsync<T>(
        HttpClient http, string url, T body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            using var content = JsonContent.Create(body, typeInfo);
            using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? new JsonPostResponse(AdapterResult.Delivered, text)
                : new JsonPostResponse(AdapterResult.Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd()), text);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException
                                      or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException)
        {
            // Messages of these exceptions name at most host and port, never the path that may hold a webhook token.
            var error = e switch
            {
                TimeoutRejectedException or OperationCanceledException => "timed out",
                BrokenCircuitException => "too many recent failures; calls are paused for a while",
                _ => e.Message,
            };
            return new JsonPostResponse(AdapterResult.Failed(error), null);
        }
    }
}
