namespace Ota.Infrastructure.Documents;

/// <summary>
/// JSON documents by collection and id: package-description snapshots and variant (config-word) definitions.
/// MySQL (ota_document) by default; MongoDB by configuration.
/// </summary>
public interface IDocumentStore
{
    Task PutAsync(string collection, string id, string json, CancellationToken cancellationToken = default);

    Task<string?> GetAsync(string collection, string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, int limit = 1000, CancellationToken cancellationToken = default);
}

/// <summary>The collections the product uses.</summary>
public static class DocumentCollections
{
    public const string Variants = "variants";
    public const string PackageDescriptions = "package_descriptions";
}
