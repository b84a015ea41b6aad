using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Ota.Infrastructure.Platform.Files;
using Ota.Web.Apis;

namespace Ota.Web.Hosting;

/// <summary>Rate limits per vehicle and per API key (SPEC §10, issue 8), configurable under "RateLimits".</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests per second one vehicle may make to the vehicle API (token bucket refill).</summary>
    public int VehiclePerSecond { get; set; } = 20;

    /// <summary>Requests a vehicle may make in a burst.</summary>
    public int VehicleBurst { get; set; } = 40;

    /// <summary>Requests per second one API key may make to the open API.</summary>
    public int ApiKeyPerSecond { get; set; } = 10;

    public int ApiKeyBurst { get; set; } = 20;

    /// <summary>Download requests per second one vehicle may make through its links (ranges and resumes included).</summary>
    public int FileLinkPerSecond { get; set; } = 10;

    public int FileLinkBurst { get; set; } = 30;
}

/// <summary>Protections every request passes: rate limits with 429 + Retry-After, and security headers on every answer.</summary>
public static class Protection
{
    public static IServiceCollection AddProtection(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicies.Vehicle, http => Bucket(http, "X-Ota-Vin", o => (o.VehiclePerSecond, o.VehicleBurst)));
            limiter.AddPolicy(RateLimitPolicies.Ddi, http => Partition(http, DdiPartition(http), o => (o.VehiclePerSecond, o.VehicleBurst)));
            limiter.AddPolicy(RateLimitPolicies.FileLink, http => Partition(http, FileLinkPartition(http), o => (o.FileLinkPerSecond, o.FileLinkBurst)));
            limiter.AddPolicy(RateLimitPolicies.ApiKey, http => Bucket(http, ApiKeyAuth.Header, o => (o.ApiKeyPerSecond, o.ApiKeyBurst)));
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(429, RateLimitPolicies.CodeRateLimited, $"Too many requests; retry after {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Bucket(HttpContext http, string header, Func<RateLimitOptions, (int PerSecond, int Burst)> limits)
    {
        // Partition by a hash of the header: the raw API key never becomes a dictionary key or a log line.
        var presented = http.Request.Headers[header].ToString();
        var key = presented.Length == 0 ? "anonymous:" + http.Connection.RemoteIpAddress : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), 0, 12);
        return Partition(http, key, limits);
    }

    /// <summary>
    /// A DDI device by its controller id and credential (hashed), so calls with a made-up token cannot spend the genuine
    /// device's allowance; calls without a credential by the caller's address.
    /// </summary>
    private static string DdiPartition(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0) return "ddi-from:" + http.Connection.RemoteIpAddress;
        var device = (http.Request.RouteValues["controllerId"] as string ?? "").ToUpperInvariant();
        return $"ddi:{device}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)), 0, 8)}";
    }

    /// <summary>A genuine link's vehicle; anything else by the caller's address, so forged links cannot spend a vehicle's allowance.</summary>
    private static string FileLinkPartition(HttpContext http)
    {
        var check = http.RequestServices.GetRequiredService<FileLinks>().Check(http.Request.RouteValues["token"] as string ?? "");
        return check.Verdict == LinkVerdict.Invalid ? "link-from:" + http.Connection.RemoteIpAddress : "link:" + check.Vin;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, string key, Func<RateLimitOptions, (int PerSecond, int Burst)> limits)
    {
        var (perSecond, burst) = limits(http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value);
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>Headers that keep the console out of frames, stop MIME sniffing and limit what pages may load.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Set as the answer starts, so they replace what other middleware (antiforgery) put there.
            context.Response.OnStarting(() =>
            {
                SetSecurityHeaders(context.Response.Headers);
                return Task.CompletedTask;
            });
            await next();
        });
        return app;
    }

    private static void SetSecurityHeaders(IHeaderDictionary headers)
    {
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    }
}
