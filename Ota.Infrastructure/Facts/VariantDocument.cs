using System.Text.Json;
using System.Text.Json.Serialization;
using Ota.Domain.Vehicles.Packages;

namespace Ota.Infrastructure.Facts;

/// <summary>
/// A variant (series-model) definition as the catalog file gives it and the document store keeps it (collection
/// <c>variants</c>): whether config words apply, and which ECUs a config word makes a vehicle ignore.
/// </summary>
public sealed class VariantDocument
{
    /// <summary>camelCase, case-insensitive when read: the catalog file's conventions.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string? SeriesModel { get; set; }
    public bool SupportsConfigWord { get; set; }
    public List<IgnoreRuleDocument> IgnoreRules { get; set; } = [];

    public static VariantDocument? Parse(string json) => JsonSerializer.Deserialize<VariantDocument>(json, Json);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public VariantDefinition ToDefinition(string seriesModelCode) => new(seriesModelCode, SupportsConfigWord,
        IgnoreRules.Select(r => new ConfigWordIgnoreRule(r.ConfigWordContains ?? "", r.Ecus)).ToList());
}

public sealed class IgnoreRuleDocument
{
    public string? ConfigWordContains { get; set; }
    public List<string> Ecus { get; set; } = [];
}
