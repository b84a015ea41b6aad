namespace Ota.Infrastructure.Platform.Keys;

/// <summary>A wrapped key could not be recovered: malformed, unknown version, tampered with, or wrapped under another master key.</summary>
public sealed class KeyUnwrapException : Exception
{
    public KeyUnwrapException(string message) : base(message) { }

    public KeyUnwrapException(string message, Exception innerException) : base(message, innerException) { }
}
