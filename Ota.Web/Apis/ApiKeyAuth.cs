using Ota.Domain.Operations;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Web.Apis;

/// <summary>The scope an open-API endpoint needs (SPEC §16); an endpoint behind the key filter without one is refused.</summary>
public sealed record RequiredScope(string Scope);

/// <summary>
/// Open-API keys on the HTTP side: the <c>X-Api-Key</c> header checked (401), then the scope the endpoint declares
/// (403 <c>SCOPE_MISSING</c>). The caller is kept in the request for the handlers (audit names, the Diagnostic permission).
/// </summary>
public static class ApiKeyAuth
{
    public const string Header = "X-Api-Key";
    public const string CodeKeyMissing = "API_KEY_MISSING";
    public const string CodeKeyInvalid = "API_KEY_INVALID";
    public const string CodeScopeMissing = "SCOPE_MISSING";

    /// <summary>The name of the security scheme in the OpenAPI document.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Calls need a key holding <paramref name="scope"/>; documents 401 and 403 with their codes.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
    {
        if (!ApiScopes.All.Contains(scope)) throw new ArgumentException($"'{scope}' is not a scope.", nameof(scope));
        builder.WithMetadata(new RequiredScope(scope));
        builder.AddEndpointFilter(CheckAsync);
        builder.Problems(StatusCodes.Status401Unauthorized, CodeKeyMissing, CodeKeyInvalid);
        builder.Problems(StatusCodes.Status403Forbidden, CodeScopeMissing);
        return builder;
    }

    private static async ValueTask<object?> CheckAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented))
            return ApiProblems.Problem(401, CodeKeyMissing, $"Send an API key in the {Header} header.");
        var caller = await http.RequestServices.GetRequiredService<ApiKeyStore>().AuthenticateAsync(presented, http.RequestAborted);
        if (caller is null) return ApiProblems.Problem(401, CodeKeyInvalid, "The API key is not known or has been revoked.");
        var scope = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope;
        if (scope is null || !caller.Holds(scope))
            return ApiProblems.Problem(403, CodeScopeMissing,
                $"The key '{caller.Name}' does not hold the scope {scope ?? "(none declared)"} this call needs; it holds {Held(caller)}. " +
                "An administrator makes a key with the scopes it needs (./ota apikey create NAME --scopes …, or the console's API keys page).");
        http.Items[typeof(ApiKeyStore.Caller)] = caller;
        return await next(context);
    }

    private static string Held(ApiKeyStore.Caller caller) => caller.Scopes.Count == 0 ? "none" : string.Join(", ", ApiScopes.All.Where(caller.Holds));

    /// <summary>The caller the filter let in.</summary>
    public static ApiKeyStore.Caller Caller(HttpContext http) => (ApiKeyStore.Caller)http.Items[typeof(ApiKeyStore.Caller)]!;

    /// <summary>The caller's name as the audit log and the rows it changes record it.</summary>
    public static string CallerName(HttpContext http) => $"api:{Caller(http).Name}";
}
