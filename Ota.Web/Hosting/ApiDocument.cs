using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Ota.Infrastructure.Platform.Security;
using Ota.Web.Apis;
using Scalar.AspNetCore;

namespace Ota.Web.Hosting;

/// <summary>
/// The OpenAPI 3 document of the open, management, vehicle and file APIs (SPEC §16) at <c>/openapi/v1.json</c>, made
/// from the endpoints themselves, and a browsable reference of it at <c>/api-docs</c>. Each error answer names the stable
/// codes the endpoint declares (<see cref="ProblemCodes"/>), and each keyed call the scope it needs.
/// </summary>
public static class ApiDocument
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api-docs";

    /// <summary>The extension each error answer lists its codes in, besides its description.</summary>
    public const string CodesExtension = "x-problem-codes";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OTA campaign console APIs",
                    Version = "v1",
                    Description = "The open and management APIs (an API key with scopes in the X-Api-Key header), the signed vehicle API and " +
                        "the package-file links. Every error is application/problem+json with a stable `code` (and `codes` when several apply).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuth.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuth.Header,
                    Description = "An open-API key (./ota apikey create NAME --scopes …); each call names the scope it needs.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, ct) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<DocumentedBody>().LastOrDefault() is { } body)
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            [body.ContentType] = new()
                            {
                                Schema = body.Type == typeof(Stream)
                                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }
                                    : await context.GetOrCreateSchemaAsync(body.Type, cancellationToken: ct),
                            },
                        },
                    };
                foreach (var group in metadata.OfType<ProblemCodes>().GroupBy(p => p.Status))
                {
                    var codes = group.SelectMany(p => p.Codes).Distinct().ToList();
                    var key = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    operation.Responses ??= new OpenApiResponses();
                    if (!operation.Responses.TryGetValue(key, out var response) || response is not OpenApiResponse concrete)
                        operation.Responses[key] = concrete = new OpenApiResponse();
                    concrete.Description = $"Problem codes: {string.Join(", ", codes)}.";
                    concrete.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    concrete.Extensions[CodesExtension] = new JsonNodeExtension(new JsonArray([.. codes.Select(c => (JsonNode)c)]));
                }
                if (metadata.OfType<Apis.Vehicles.SignedAnswer>().Any()
                    && operation.Responses?.TryGetValue("200", out var answered) == true && answered is OpenApiResponse ok)
                {
                    ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    ok.Headers[BodySignature.KeyIdHeader] = new OpenApiHeader
                    {
                        Description = "The signing key (GET /api/vehicle/v1/signing-keys).", Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                    ok.Headers[BodySignature.SignatureHeader] = new OpenApiHeader
                    {
                        Description = "Base64 of the Ed25519 signature of the raw body by that key; check it before parsing the body.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
                if (metadata.OfType<RequiredScope>().LastOrDefault() is { } scope)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(ApiKeyAuth.SchemeName, context.Document)] = [scope.Scope],
                    });
                    operation.Description = $"Needs an API key with the scope `{scope.Scope}`.{(operation.Description is { } d ? " " + d : "")}";
                }
            });
        });

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, options => options.WithTitle("OTA campaign console APIs").WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}
