namespace Ota.Web.Apis;

/// <summary>The rate-limit policies the APIs ask for; the host defines their limits (Hosting/Protection, section RateLimits).</summary>
public static class RateLimitPolicies
{
    /// <summary>Per vehicle (X-Ota-Vin).</summary>
    public const string Vehicle = "vehicle";

    /// <summary>Per vehicle a download link was made for (the VIN the link names).</summary>
    public const string FileLink = "file-link";

    /// <summary>Per DDI device (the controller id of the path), with the vehicle API's limits.</summary>
    public const string Ddi = "ddi";

    /// <summary>Per open-API key.</summary>
    public const string ApiKey = "api-key";

    /// <summary>The answer beyond a limit: 429 with Retry-After.</summary>
    public const string CodeRateLimited = "RATE_LIMITED";

    /// <summary>Limits the endpoints by <paramref name="policy"/> and documents the 429 it answers beyond it.</summary>
    public static TBuilder LimitedBy<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(policy).Problems(StatusCodes.Status429TooManyRequests, CodeRateLimited);
}
