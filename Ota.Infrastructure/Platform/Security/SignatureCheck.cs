namespace Ota.Infrastructure.Platform.Security;

/// <summary>Outcome of checking a vehicle request's signature headers.</summary>
public enum SignatureCheck
{
    Ok,
    /// <summary>The timestamp or the signature header is absent or empty.</summary>
    MissingHeaders,
    /// <summary>The timestamp is not a whole number of Unix seconds.</summary>
    BadTimestamp,
    /// <summary>The timestamp is further from the server's clock than the allowed skew.</summary>
    Skewed,
    BadSignature,
}
