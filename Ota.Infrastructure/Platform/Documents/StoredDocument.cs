namespace Ota.Infrastructure.Platform.Documents;

/// <summary>A JSON document of the MySQL document store (package-description snapshots, variant definitions).</summary>
public class StoredDocument
{
    public string Collection { get; set; } = "";
    public string Id { get; set; } = "";
    public string Json { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
