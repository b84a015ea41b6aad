using System.Globalization;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Web.Apis.Vehicles;

/// <summary>A vehicle request whose signature checked out: the signed VIN and the raw body the signature covers.</summary>
public sealed record SignedVehicleRequest(string Vin, ReadOnlyMemory<byte> Body);

/// <summary>
/// Checks the vehicle signature (SPEC §10) before the endpoint does anything: headers and clock skew first (no body is
/// read for a request that cannot pass), then the body is read once, up to the endpoint's limit, and the HMAC is
/// checked over those bytes. The handler gets the same bytes (<see cref="SignedVehicleRequest"/>), so what is parsed is
/// exactly what was signed. Each signed request is accepted once (<see cref="SeenSignatures"/>): a replay is refused.
/// </summary>
public sealed class VehicleRequestSignature(Func<VehicleApiOptions, int> bodyLimit) : IEndpointFilter
{
    public const string SignatureMissing = "SIGNATURE_MISSING";
    public const string TimestampInvalid = "TIMESTAMP_INVALID";
    public const string TimestampSkewed = "TIMESTAMP_SKEWED";
    public const string SignatureInvalid = "SIGNATURE_INVALID";
    public const string BodyTooLarge = "BODY_TOO_LARGE";
    public const string Replayed = "REPLAYED";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<VehicleApiOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        var headers = http.Request.Headers;

        var vin = Vin.Normalize(headers[VehicleSignature.VinHeader].ToString());
        var timestamp = headers[VehicleSignature.TimestampHeader].ToString();
        var signature = headers[VehicleSignature.SignatureHeader].ToString();
        if (vin is null || timestamp.Length == 0 || signature.Length == 0)
            return Unauthorized(SignatureMissing,
                $"Send {VehicleSignature.VinHeader}, {VehicleSignature.TimestampHeader} and {VehicleSignature.SignatureHeader}.");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return Unauthorized(TimestampInvalid, $"{VehicleSignature.TimestampHeader} must be Unix seconds.");
        var skew = Math.Abs((double)seconds - clock.GetUtcNow().ToUnixTimeSeconds());
        if (skew > options.SignatureMaxSkew.TotalSeconds)
            return Unauthorized(TimestampSkewed,
                $"{VehicleSignature.TimestampHeader} is more than {options.SignatureMaxSkew.TotalSeconds:0} s from the server's clock.");

        var limit = bodyLimit(options);
        var bodyBytes = await BoundedBody.ReadAsync(http.Request, limit, http.RequestAborted);
        if (bodyBytes is null) return ApiProblems.BadRequest(BodyTooLarge, $"The body is larger than {limit} bytes.");

        var body = bodyBytes.Value;
        var signed = await services.GetRequiredService<VehicleSecrets>().MatchesAsync(
            vin, s => VehicleSignature.Verify(s, timestamp, signature, body.Span, clock, options.SignatureMaxSkew) == SignatureCheck.Ok,
            http.RequestAborted);
        // An unknown VIN and a wrong signature answer alike, so the API does not tell which VINs exist.
        if (!signed)
            return Unauthorized(SignatureInvalid, "The signature does not match the VIN, the timestamp and the body.");

        // A signed request is good for one use: the same VIN, timestamp and body again is a replay, whoever sends it.
        // A vehicle that must retry signs the retry with a new timestamp. Remembered until the timestamp is out of skew.
        var forgetAfter = DateTimeOffset.FromUnixTimeSeconds(seconds) + options.SignatureMaxSkew;
        if (!await services.GetRequiredService<SeenSignatures>().FirstSightAsync(signature, forgetAfter, http.RequestAborted))
            return Unauthorized(Replayed, "This signed request was received before; sign a retry with a new timestamp.");

        http.Features.Set(new SignedVehicleRequest(vin, body));
        return await next(context);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unauthorized(string code, string detail) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, code, detail);
}
