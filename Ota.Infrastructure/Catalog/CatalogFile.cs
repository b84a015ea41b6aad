using System.Text.Json;
using Ota.Infrastructure.Facts;

namespace Ota.Infrastructure.Catalog;

// The catalog import format of SPEC §11. Enum values are kept as text here and checked by the validator,
// so a wrong value is reported with its path instead of failing the whole parse.

public sealed class CatalogFile
{
    public List<SeriesModelItem> SeriesModels { get; set; } = [];
    public List<EcuItem> Ecus { get; set; } = [];
    public List<VariantDocument> Variants { get; set; } = [];
    public List<BaselineItem> Baselines { get; set; } = [];
    public List<EcuPackageItem> EcuPackages { get; set; } = [];
    public List<PackageItem> Packages { get; set; } = [];
    public List<StrategyItem> Strategies { get; set; } = [];

    /// <summary>The file's JSON conventions, those of the variant documents it carries.</summary>
    public static JsonSerializerOptions JsonOptions => VariantDocument.Json;
}

public sealed class SeriesModelItem
{
    public string? Code { get; set; }
    public string? Series { get; set; }
    public string? Model { get; set; }
    public string? Platform { get; set; }
    public string? Name { get; set; }
}

public sealed class EcuItem
{
    public string? Code { get; set; }
    public string? Name { get; set; }
}

public sealed class BaselineItem
{
    public string? SeriesModel { get; set; }
    public string? Version { get; set; }
    public bool IsFormal { get; set; }
    public string? Description { get; set; }
}

public sealed class EcuPackageItem
{
    public string? Key { get; set; }
    public string? Ecu { get; set; }
    public string? Version { get; set; }
    public string? FromVersion { get; set; }
    public string? Kind { get; set; }
    public string? FileName { get; set; }
    public long FileSize { get; set; }
    public string? Sha256 { get; set; }
    public string? Url { get; set; }
}

public sealed class PackageItem
{
    public string? SeriesModel { get; set; }
    public string? Version { get; set; }
    public string? FromVersion { get; set; }
    public string? Type { get; set; }
    public string? Generation { get; set; }
    public string? Status { get; set; }
    /// <summary>OTA2: the version of the series-model's baseline the package belongs to.</summary>
    public string? Baseline { get; set; }
    public bool Encrypted { get; set; }
    /// <summary>Optional base64 symmetric key; generated when absent.</summary>
    public string? Key { get; set; }
    public string? UpgradePrompt { get; set; }
    public string? UpgradeResult { get; set; }
    public List<string> EcuPackages { get; set; } = [];
}

public sealed class StrategyItem
{
    public string? Name { get; set; }
    public string? PackageType { get; set; }
    public string? VersionCompare { get; set; }
    public string? UpgradeMode { get; set; }
    public List<StrategyEcuItem> Ecus { get; set; } = [];
    public List<StrategySeriesModelItem> SeriesModels { get; set; } = [];
    public List<string> Vins { get; set; } = [];
}

public sealed class StrategyEcuItem
{
    public string? Ecu { get; set; }
    public int? Order { get; set; }
    public bool IsUpgrade { get; set; } = true;
}

public sealed class StrategySeriesModelItem
{
    public string? SeriesModel { get; set; }
    public bool IsDefault { get; set; }
}
