namespace Ota.Infrastructure.Keys;

// Interim contract until the key service lands from its branch (same signatures).
public interface IKeyService
{
    string Wrap(ReadOnlySpan<byte> key);
    byte[] Unwrap(string wrapped);
    byte[] GenerateKey();
}

public sealed class KeyOptions
{
    public string MasterKey { get; set; } = "";
}
