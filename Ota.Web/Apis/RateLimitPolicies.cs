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
}
