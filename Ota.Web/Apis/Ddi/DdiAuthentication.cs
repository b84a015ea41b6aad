using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Ddi;

namespace Ota.Web.Apis.Ddi;

/// <summary>
/// Every DDI call (SPEC §14): the tenant must be <see cref="DdiOptions.Tenant"/>, the controller id a VIN of the registry,
/// and <c>Authorization</c> either <c>TargetToken</c> with that vehicle's token or <c>GatewayToken</c> with the tenant's,
/// when one is configured. Anything else is 401 (no hint which part was wrong). The device's state (from memory while
/// nothing changed, <see cref="DdiDevices"/>) is handed to the handler. Only vehicles whose update client is DDI are answered.
/// </summary>
internal sealed partial class DdiAuthentication(ILogger<DdiAuthentication> logger) : IEndpointFilter
{
    public const string Unauthorized = "DDI_UNAUTHORIZED";

    private const string DeviceKey = "ota.ddi.device";

    public static DdiDevice DeviceOf(HttpContext http) => (DdiDevice)http.Items[DeviceKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<DdiOptions>>().Value;
        var tenant = http.Request.RouteValues["tenant"] as string;
        var vin = Vin.Normalize(http.Request.RouteValues["controllerId"] as string);
        var authorization = http.Request.Headers.Authorization.ToString();
        if (string.Equals(tenant, options.Tenant, StringComparison.OrdinalIgnoreCase) && vin is not null && authorization.Length > 0)
        {
            var device = await http.RequestServices.GetRequiredService<DdiDevices>().GetAsync(vin, http.RequestAborted);
            // DDI answers vehicles that take their updates by DDI: a native vehicle gets its notices over MQTT.
            if (device.Found && device.Client == UpdateClient.Ddi && Accepts(authorization, device, options))
            {
                http.Items[DeviceKey] = device;
                return await next(context);
            }
        }
        LogRefused(vin ?? "(not a VIN)", http.Request.Path.Value ?? "", SchemeOf(authorization));
        http.Response.Headers.WWWAuthenticate = "TargetToken";
        return ApiProblems.Problem(StatusCodes.Status401Unauthorized, Unauthorized,
            "A DDI call needs 'Authorization: TargetToken <the vehicle's token>' (./ota vehicle ddi-token VIN) or the tenant's GatewayToken.");
    }

    private static bool Accepts(string authorization, DdiDevice device, DdiOptions options)
    {
        if (authorization.StartsWith("TargetToken ", StringComparison.Ordinal))
            return DdiTokens.Matches(device.TokenHash, authorization["TargetToken ".Length..].Trim());
        if (authorization.StartsWith("GatewayToken ", StringComparison.Ordinal) && options.GatewayToken is { Length: > 0 } gateway)
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(gateway), Encoding.UTF8.GetBytes(authorization["GatewayToken ".Length..].Trim()));
        return false;
    }

    /// <summary>What is logged of a refused credential: its scheme when it is one of hawkBit's, never anything the caller chose.</summary>
    private static string SchemeOf(string authorization) =>
        authorization.Length == 0 ? "none"
        : authorization.StartsWith("TargetToken ", StringComparison.Ordinal) ? "TargetToken"
        : authorization.StartsWith("GatewayToken ", StringComparison.Ordinal) ? "GatewayToken"
        : "other";

    [LoggerMessage(Level = LogLevel.Information, Message = "DDI call refused for {Vin} on {Path} (credential: {Scheme})")]
    private partial void LogRefused(string vin, string path, string scheme);
}
