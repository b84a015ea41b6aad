namespace Ota.Infrastructure.Platform.Documents;

/// <summary>
/// JSON documents by collection and id: package-description snapshots and variant (config-word) definitions.
/// MySQL (ota_document) by default; MongoDB by configuration.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Stores (or replaces) one document. <paramref name="json"/> is any JSON value; stores keep its meaning, not its spacing.</summary>
    Task PutAsync(string collection, string id, string json, CancellationToken cancellationToken = default);

    /// <summary>Stores (or replaces) many documents of one collection in one round trip; all or none on failure.</summary>
    Task PutManyAsync(string collection, IReadOnlyList<DocumentToPut> documents, CancellationToken cancellationToken = default);

    Task<string?> GetAsync(string collection, string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, int limit = 1000, CancellationToken cancellationToken = default);
}

/// <summary>One document of a <see cref="IDocumentStore.PutManyAsync"/> call.</summary>
public readonly record struct DocumentToPut(string Id, string Json);

/// <summary>The collections the product uses.</summary>
public static class DocumentCollections
{
    public const string Variants = "variants";
    public const string PackageDescriptions = "package_descriptions";
}
