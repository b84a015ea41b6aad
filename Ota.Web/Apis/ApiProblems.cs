using Microsoft.AspNetCore.Http.HttpResults;

namespace Ota.Web.Apis;

/// <summary>The stable codes an endpoint may answer with one status; the OpenAPI document lists them (SPEC §16).</summary>
public sealed record ProblemCodes(int Status, IReadOnlyList<string> Codes);

/// <summary>The shape of every error answer, as the OpenAPI document shows it: problem+json with a stable <c>code</c>.</summary>
/// <param name="Codes">Every code that applies, when several do (task-level failures, ineligible vehicles).</param>
public sealed record ApiProblem(string Type, string Title, int Status, string Detail, string Code, IReadOnlyList<string>? Codes);

/// <summary>Errors as application/problem+json with a stable <c>code</c> (and <c>codes</c> when several apply). Never a stack trace.</summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static ProblemHttpResult Problem(int status, string code, string detail, IReadOnlyList<string>? codes = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (codes is not null) extensions["codes"] = codes;
        return TypedResults.Problem(detail: detail, statusCode: status, title: TitleOf(status), extensions: extensions);
    }

    public static ProblemHttpResult BadRequest(string code, string detail) => Problem(StatusCodes.Status400BadRequest, code, detail);

    /// <summary>Declares that the endpoints answer <paramref name="status"/> with these codes: the OpenAPI document lists them.</summary>
    public static TBuilder Problems<TBuilder>(this TBuilder builder, int status, params string[] codes) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ProblemCodes(status, codes), new ProducesResponseTypeMetadata(status, typeof(ApiProblem), [ContentType]));
        return builder;
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        403 => "The caller may not do this.",
        404 => "Not found.",
        409 => "The action does not apply to the resource as it stands.",
        413 => "The request is too large.",
        422 => "The request cannot be carried out.",
        429 => "Too many requests.",
        _ => "The request failed.",
    };
}
