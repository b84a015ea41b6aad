using Microsoft.AspNetCore.Http.HttpResults;

namespace Ota.Web.Apis;

/// <summary>Errors as application/problem+json with a stable <c>code</c> (and <c>codes</c> when several apply). Never a stack trace.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string code, string detail, IReadOnlyList<string>? codes = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (codes is not null) extensions["codes"] = codes;
        return TypedResults.Problem(detail: detail, statusCode: status, title: TitleOf(status), extensions: extensions);
    }

    public static ProblemHttpResult BadRequest(string code, string detail) => Problem(StatusCodes.Status400BadRequest, code, detail);

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
