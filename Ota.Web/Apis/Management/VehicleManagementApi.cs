using Microsoft.AspNetCore.Http.HttpResults;
using Ota.Domain;
using Ota.Domain.Operations;
using Ota.Infrastructure.Fleet;

namespace Ota.Web.Apis.Management;

/// <summary>The management API's vehicle call (SPEC §16): a vehicle's registry facts and its timeline, as the console shows them.</summary>
public static class VehicleManagementApi
{
    public sealed record TimelineEntry(DateTime At, string Kind, string Title, string? Detail, long? TaskId);

    /// <summary>A vehicle (never its secret), the lists it is on, its latest status and its timeline, newest first.</summary>
    public sealed record VehicleAnswer(string Vin, string SeriesModel, string Platform, string LifecycleStatus, string Usage, bool Sold,
        bool Activated, bool PassengerCar, string FirmwareVersion, string? ConfigWord, IReadOnlyList<string> Lists, string? LatestStatus,
        IReadOnlyList<TimelineEntry> Timeline);

    public static IEndpointRouteBuilder MapVehicleManagementApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ota/open/api/vehicle/{vin}", GetAsync).WithName("GetVehicle").WithTags("Management API")
            .LimitedBy(RateLimitPolicies.ApiKey).RequireApiKey(ApiScopes.VehiclesRead)
            .Problems(400, ReasonCodes.VinMalformed).Problems(404, ReasonCodes.VehicleNotFound);
        return app;
    }

    private static async Task<Results<Ok<VehicleAnswer>, ProblemHttpResult>> GetAsync(string vin, HttpContext http, VehicleService vehicles)
    {
        if (Vin.Normalize(vin) is not { } normalized)
            return ApiProblems.BadRequest(ReasonCodes.VinMalformed, "A VIN is 17 characters of A-Z and 0-9 without I, O and Q.");
        if (await vehicles.GetAsync(normalized, http.RequestAborted) is not { } found)
            return ApiProblems.Problem(404, ReasonCodes.VehicleNotFound, $"There is no vehicle {normalized} in the registry.");
        var timeline = await vehicles.TimelineAsync(normalized, http.RequestAborted);
        var v = found.Vehicle;
        return TypedResults.Ok(new VehicleAnswer(v.Vin, v.SeriesModel, v.Platform, v.Lifecycle.ToString(), v.Usage.ToString(), v.Sold, v.Activated,
            found.PassengerCar, v.FirmwareVersion, v.ConfigWord, found.Lists, found.LatestStatus,
            [.. timeline.Select(t => new TimelineEntry(t.At, t.Kind, t.Title, t.Detail, t.TaskId))]));
    }
}
