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
/// nothing changed, <see cref="DdiDevices"/>) is handed to the handler.
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
            if (device.Found && Accepts(authorization, device, options))
            {
                http.Items[DeviceKey] = device;
                return await next(context);
            }
        }
        LogRefused(vin ?? "(not a VIN)", http.Request.Path.Value ?? "", authorization.Split(' ', 2)[0]);
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

    // The scheme alone is logged, never the token.
    [LoggerMessage(Level = LogLevel.Information, Message = "DDI call refused for {Vin} on {Path} (Authorization scheme '{Scheme}')")]
    private partial void LogRefused(string vin, string path, string scheme);
}
