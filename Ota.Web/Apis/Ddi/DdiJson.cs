using System.Text.Json.Serialization;

namespace Ota.Web.Apis.Ddi;

// hawkBit's DDI v1 answers (hawkbit-ddi-api json/model), field for field; nulls are left out as hawkBit does.

public sealed record DdiLink(string Href);

public sealed record DdiPolling(string Sleep);

public sealed record DdiConfig(DdiPolling Polling);

public sealed record DdiControllerBase(DdiConfig Config, [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, DdiLink>? Links);

public sealed record DdiHashes(string? Sha1, string? Md5, string? Sha256);

public sealed record DdiArtifactJson(string Filename, DdiHashes Hashes, long Size,
    [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, DdiLink> Links);

public sealed record DdiChunkJson(string Part, string Version, string Name, IReadOnlyList<DdiArtifactJson> Artifacts);

/// <param name="Download">"forced" or "attempt" ("skip" is never sent).</param>
public sealed record DdiDeploymentJson(string Download, string Update, IReadOnlyList<DdiChunkJson> Chunks);

public sealed record DdiDeploymentBase(string Id, DdiDeploymentJson Deployment);

public sealed record DdiCancelAction(string StopId);

public sealed record DdiCancel(string Id, DdiCancelAction CancelAction);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DdiControllerBase))]
[JsonSerializable(typeof(DdiDeploymentBase))]
[JsonSerializable(typeof(DdiCancel))]
[JsonSerializable(typeof(IReadOnlyList<DdiArtifactJson>))]
internal sealed partial class DdiJsonContext : JsonSerializerContext;
