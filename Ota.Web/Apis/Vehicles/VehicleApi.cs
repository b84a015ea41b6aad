using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Ota.Domain;
using Ota.Domain.Vehicles.Packages;
using Ota.Infrastructure.EventReports;
using Ota.Infrastructure.PackageInfo;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Web.Apis.Vehicles;

/// <summary>
/// The vehicle API (SPEC §7): package descriptions and event reports, and the product's public signing keys (SPEC §15);
/// every call signed by the vehicle (SPEC §10), every description signed by the product.
/// </summary>
public static class VehicleApi
{
    public static IEndpointRouteBuilder MapVehicleApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/vehicle/v1").WithTags("Vehicle API").LimitedBy(RateLimitPolicies.Vehicle)
            .Problems(StatusCodes.Status401Unauthorized, VehicleRequestSignature.SignatureMissing, VehicleRequestSignature.TimestampInvalid,
                VehicleRequestSignature.TimestampSkewed, VehicleRequestSignature.SignatureInvalid, VehicleRequestSignature.Replayed);
        group.MapPost("/package-info", PackageInfoAsync)
            .WithName("QueryPackageTotalInfo")
            .AddEndpointFilter(new VehicleRequestSignature(o => o.MaxPackageInfoBodyBytes))
            .DocumentsBody<PackageInfoRequest>("application/json")
            .Produces<PackageDescription>()
            .SignsItsAnswer()
            .Problems(StatusCodes.Status400BadRequest, [VehicleRequestSignature.BodyTooLarge, .. RequestCodes, EventReportCodes.FieldInvalid])
            .Problems(StatusCodes.Status404NotFound, PackageInfoService.TaskVinNotFoundCode)
            .Problems(StatusCodes.Status422UnprocessableEntity, [.. ReasonCodes.VehicleLevel, .. ReasonCodes.TaskLevel, PackageInfoService.TargetVersionMismatchCode])
            .Problems(StatusCodes.Status500InternalServerError, PackageInfoService.PackageKeyUnavailableCode);
        group.MapPost("/events", ReportEventsAsync)
            .WithName("ReportEvent")
            .AddEndpointFilter(new VehicleRequestSignature(o => o.MaxEventsBodyBytes))
            .Problems(StatusCodes.Status400BadRequest, [VehicleRequestSignature.BodyTooLarge, .. RequestCodes, EventReportCodes.EventsMissing]);
        group.MapGet("/signing-keys", SigningKeysAsync)
            .WithName("SigningKeys")
            .WithDescription("The public keys notices and package descriptions are signed with: every key not retired, the one signing now " +
                "flagged active. Fetch it again when a notice or description names a key id not in it.")
            .AddEndpointFilter(new VehicleRequestSignature(_ => 0))
            .Problems(StatusCodes.Status400BadRequest, VehicleRequestSignature.BodyTooLarge);
        return app;
    }

    /// <summary>The 400 codes of a request as a whole, either endpoint.</summary>
    private static readonly string[] RequestCodes =
    [
        EventReportCodes.MalformedJson, EventReportCodes.InvalidRequest, EventReportCodes.VinMissing, EventReportCodes.VinMalformed, EventReportCodes.VinMismatch,
    ];

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PackageInfoAsync(HttpContext http, PackageInfoService packages,
        SigningKeys keys)
    {
        var signed = http.Features.GetRequiredFeature<SignedVehicleRequest>();
        var (request, problem) = PackageInfoRequestParser.Parse(signed.Body, signed.Vin);
        if (problem is not null) return ApiProblems.BadRequest(problem.Code, problem.Detail);

        return await packages.DescribeAsync(request!, http.RequestAborted, LinkBase(http.Request)) switch
        {
            // Already serialized: it is the very text stored as the snapshot, signed as it is sent.
            PackageInfoOutcome.Served served => SignedAnswers.Json(http.Response, served.Json, await keys.ActiveAsync(http.RequestAborted)),
            PackageInfoOutcome.TaskVinNotFound notFound =>
                ApiProblems.Problem(StatusCodes.Status404NotFound, PackageInfoService.TaskVinNotFoundCode, notFound.Detail),
            PackageInfoOutcome.Ineligible ineligible =>
                ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ineligible.Codes[0], ineligible.Detail, ineligible.Codes),
            PackageInfoOutcome.Unavailable unavailable =>
                ApiProblems.Problem(StatusCodes.Status500InternalServerError, unavailable.Code, unavailable.Detail),
            var other => throw new InvalidOperationException($"Unexpected package-info outcome {other.GetType().Name}."),
        };
    }

    /// <summary>Cached briefly: a vehicle that meets a key id it does not know fetches the list again.</summary>
    private static async Task<JsonHttpResult<PublishedSigningKeys>> SigningKeysAsync(HttpContext http, SigningKeys keys)
    {
        var published = await keys.PublishedAsync(http.RequestAborted);
        http.Response.Headers.CacheControl = "private, max-age=60";
        return TypedResults.Json(published, SigningKeyJsonContext.Default.PublishedSigningKeys);
    }

    /// <summary>Where this vehicle reached the app: the base of the links it is handed to stored files.</summary>
    public static string LinkBase(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    private static async Task<Results<JsonHttpResult<EventReportAnswer>, ProblemHttpResult>> ReportEventsAsync(
        HttpContext http, EventReportWriter writer)
    {
        var signed = http.Features.GetRequiredFeature<SignedVehicleRequest>();
        var parsed = EventReportParser.Parse(signed.Body, signed.Vin);
        if (!parsed.Succeeded) return ApiProblems.BadRequest(parsed.Error.Code, parsed.Error.Detail);
        var answer = await writer.StoreAsync(parsed.Report, http.RequestAborted);
        return TypedResults.Json(answer, EventReportJsonContext.Default.EventReportAnswer);
    }
}
