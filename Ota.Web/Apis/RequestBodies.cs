namespace Ota.Web.Apis;

/// <summary>
/// The body an endpoint reads itself (field by field, for its own error codes), for the OpenAPI document only. Unlike
/// <c>Accepts</c>, it does not make routing refuse a request whose Content-Type differs (415): the endpoint decides.
/// </summary>
public sealed record DocumentedBody(Type Type, string ContentType);

public static class RequestBodies
{
    public static RouteHandlerBuilder DocumentsBody<TBody>(this RouteHandlerBuilder builder, string contentType = "application/json") =>
        builder.WithMetadata(new DocumentedBody(typeof(TBody), contentType));
}
