using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Web.Apis.Vehicles;

/// <summary>Marks an endpoint whose answer is signed (<see cref="BodySignature"/>): the OpenAPI document lists the two headers.</summary>
public sealed record SignedAnswer;

/// <summary>Answers a vehicle acts on, signed by the product's active key over the exact bytes sent (SPEC §15).</summary>
public static class SignedAnswers
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public static RouteHandlerBuilder SignsItsAnswer(this RouteHandlerBuilder builder) => builder.WithMetadata(new SignedAnswer());

    /// <summary>
    /// The JSON as UTF-8, with <c>X-Ota-Key-Id</c> and <c>X-Ota-Body-Signature</c>. The signed bytes are the bytes written:
    /// nothing on the way (no compression, no re-encoding) changes them.
    /// </summary>
    public static FileContentHttpResult Json(HttpResponse response, string json, ActiveSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(key);
        var body = Encoding.UTF8.GetBytes(json);
        response.Headers[BodySignature.KeyIdHeader] = key.KeyId;
        response.Headers[BodySignature.SignatureHeader] = key.Sign(body);
        return TypedResults.Bytes(body, JsonContentType);
    }
}
