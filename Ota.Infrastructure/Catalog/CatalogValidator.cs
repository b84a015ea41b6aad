using System.Text.RegularExpressions;
using Ota.Domain;

using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Catalog;

/// <summary>What already exists in the database, by natural key, so the file may refer to it.</summary>
public sealed record CatalogKnown(
    IReadOnlySet<string> SeriesModels,
    IReadOnlySet<string> Ecus,
    IReadOnlySet<(string SeriesModel, string Version)> Baselines,
    IReadOnlyDictionary<string, (string Ecu, string? FromVersion)> EcuPackages);

/// <summary>Checks a whole catalog file and reports every problem with its JSON path; nothing is written when any is found.</summary>
public static partial class CatalogValidator
{
    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();

    public static void Validate(CatalogFile file, CatalogKnown known, ImportReport report)
    {
        var cmp = StringComparer.OrdinalIgnoreCase;
        var seriesModels = new HashSet<string>(known.SeriesModels, cmp);
        var ecus = new HashSet<string>(known.Ecus, cmp);

        var seen = new HashSet<string>(cmp);
        for (var i = 0; i < file.SeriesModels.Count; i++)
        {
            var s = file.SeriesModels[i];
            var at = $"seriesModels[{i}]";
            if (Required(report, at, "code", s.Code) && !seen.Add(s.Code!)) report.Problem(at, "code", $"'{s.Code}' appears twice");
            Required(report, at, "series", s.Series);
            Required(report, at, "model", s.Model);
            Required(report, at, "platform", s.Platform);
            if (s.Code is not null) seriesModels.Add(s.Code);
        }

        seen.Clear();
        for (var i = 0; i < file.Ecus.Count; i++)
        {
            var e = file.Ecus[i];
            var at = $"ecus[{i}]";
            if (Required(report, at, "code", e.Code) && !seen.Add(e.Code!)) report.Problem(at, "code", $"'{e.Code}' appears twice");
            Required(report, at, "name", e.Name);
            if (e.Code is not null) ecus.Add(e.Code);
        }

        seen.Clear();
        for (var i = 0; i < file.Variants.Count; i++)
        {
            var v = file.Variants[i];
            var at = $"variants[{i}]";
            if (Known(report, at, "seriesModel", v.SeriesModel, seriesModels, "series-model") && !seen.Add(v.SeriesModel!))
                report.Problem(at, "seriesModel", $"'{v.SeriesModel}' has two variant definitions");
            for (var r = 0; r < v.IgnoreRules.Count; r++)
            {
                var rule = v.IgnoreRules[r];
                Required(report, $"{at}.ignoreRules[{r}]", "configWordContains", rule.ConfigWordContains);
                if (rule.Ecus.Count == 0) report.Problem($"{at}.ignoreRules[{r}]", "ecus", "names no ECU");
                foreach (var ecu in rule.Ecus) Known(report, $"{at}.ignoreRules[{r}]", "ecus", ecu, ecus, "ECU");
            }
        }

        var baselines = new HashSet<(string, string)>(known.Baselines.Select(b => (b.SeriesModel.ToUpperInvariant(), b.Version)));
        var fileBaselines = new HashSet<(string, string)>();
        for (var i = 0; i < file.Baselines.Count; i++)
        {
            var b = file.Baselines[i];
            var at = $"baselines[{i}]";
            var smOk = Known(report, at, "seriesModel", b.SeriesModel, seriesModels, "series-model");
            if (Version(report, at, "version", b.Version) && smOk)
            {
                var key = (b.SeriesModel!.ToUpperInvariant(), b.Version!.Trim());
                if (!fileBaselines.Add(key)) report.Problem(at, "version", $"baseline {b.Version} of {b.SeriesModel} appears twice");
                baselines.Add(key);
            }
        }

        var ecuPackages = new Dictionary<string, (string Ecu, string? FromVersion)>(known.EcuPackages, cmp);
        seen.Clear();
        for (var i = 0; i < file.EcuPackages.Count; i++)
        {
            var p = file.EcuPackages[i];
            var at = $"ecuPackages[{i}]";
            if (Required(report, at, "key", p.Key) && !seen.Add(p.Key!)) report.Problem(at, "key", $"'{p.Key}' appears twice");
            Known(report, at, "ecu", p.Ecu, ecus, "ECU");
            Version(report, at, "version", p.Version);
            if (p.FromVersion is not null) Version(report, at, "fromVersion", p.FromVersion);
            Enum<EcuPackageKind>(report, at, "kind", p.Kind);
            Required(report, at, "fileName", p.FileName);
            if (p.FileSize <= 0) report.Problem(at, "fileSize", "must be a positive number of bytes");
            if (p.Sha256 is null || !Sha256Pattern().IsMatch(p.Sha256)) report.Problem(at, "sha256", "must be 64 hexadecimal characters");
            if (!Uri.TryCreate(p.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                report.Problem(at, "url", $"'{p.Url}' is not an http(s) URL");
            if (p.Key is not null && p.Ecu is not null) ecuPackages[p.Key] = (p.Ecu, p.FromVersion);
        }

        var packageKeys = new HashSet<string>(cmp);
        for (var i = 0; i < file.Packages.Count; i++)
            ValidatePackage(file.Packages[i], $"packages[{i}]", seriesModels, baselines, ecuPackages, packageKeys, report);

        seen.Clear();
        var defaults = new Dictionary<string, string>(cmp);
        for (var i = 0; i < file.Strategies.Count; i++)
        {
            var s = file.Strategies[i];
            var at = $"strategies[{i}]";
            if (Required(report, at, "name", s.Name) && !seen.Add(s.Name!)) report.Problem(at, "name", $"'{s.Name}' appears twice");
            Enum<StrategyPackageType>(report, at, "packageType", s.PackageType);
            Enum<VersionCompare>(report, at, "versionCompare", s.VersionCompare);
            Enum<UpgradeMode>(report, at, "upgradeMode", s.UpgradeMode);
            var strategyEcus = new HashSet<string>(cmp);
            for (var e = 0; e < s.Ecus.Count; e++)
            {
                var ecu = s.Ecus[e];
                if (Known(report, $"{at}.ecus[{e}]", "ecu", ecu.Ecu, ecus, "ECU") && !strategyEcus.Add(ecu.Ecu!))
                    report.Problem($"{at}.ecus[{e}]", "ecu", $"'{ecu.Ecu}' appears twice in the strategy");
                if (ecu.Order is < 0) report.Problem($"{at}.ecus[{e}]", "order", "must not be negative");
            }
            var strategySeriesModels = new HashSet<string>(cmp);
            for (var m = 0; m < s.SeriesModels.Count; m++)
            {
                var sm = s.SeriesModels[m];
                if (Known(report, $"{at}.seriesModels[{m}]", "seriesModel", sm.SeriesModel, seriesModels, "series-model")
                    && !strategySeriesModels.Add(sm.SeriesModel!))
                    report.Problem($"{at}.seriesModels[{m}]", "seriesModel", $"'{sm.SeriesModel}' appears twice in the strategy");
                if (sm.IsDefault && sm.SeriesModel is not null && !defaults.TryAdd(sm.SeriesModel, s.Name ?? "?"))
                    report.Problem($"{at}.seriesModels[{m}]", "isDefault",
                        $"'{sm.SeriesModel}' already has default strategy '{defaults[sm.SeriesModel]}' in this file; a series-model has exactly one");
            }
            for (var v = 0; v < s.Vins.Count; v++)
                if (Ota.Domain.Vin.Normalize(s.Vins[v]) is null) report.Problem($"{at}.vins[{v}]", "vin", $"'{s.Vins[v]}' is not a VIN");
        }
    }

    private static void ValidatePackage(PackageItem p, string at, HashSet<string> seriesModels, HashSet<(string, string)> baselines,
        Dictionary<string, (string Ecu, string? FromVersion)> ecuPackages, HashSet<string> packageKeys, ImportReport report)
    {
        var smOk = Known(report, at, "seriesModel", p.SeriesModel, seriesModels, "series-model");
        var versionOk = Version(report, at, "version", p.Version);
        var typeOk = Enum<PackageType>(report, at, "type", p.Type, out var type);
        var genOk = Enum<Generation>(report, at, "generation", p.Generation, out var generation);
        Enum<PackageStatus>(report, at, "status", p.Status);
        if (versionOk && genOk && FirmwareVersion.Parse(p.Version!).Generation != generation)
            report.Problem(at, "version", $"{p.Version} is not an {generation} version (the middle segment is the generation)");
        if (typeOk && type == PackageType.Delta && !Version(report, at, "fromVersion", p.FromVersion)) { }
        if (typeOk && type == PackageType.Full && p.FromVersion is not null)
            report.Problem(at, "fromVersion", "a Full package has no fromVersion");
        if (typeOk && smOk && versionOk)
        {
            var key = $"{p.SeriesModel}|{generation}|{type}|{p.FromVersion}|{p.Version}".ToUpperInvariant();
            if (!packageKeys.Add(key)) report.Problem(at, "version", "the same package appears twice");
        }
        if (genOk && generation == Generation.OTA2)
        {
            if (string.IsNullOrWhiteSpace(p.Baseline)) report.Problem(at, "baseline", "an OTA2 package belongs to a baseline");
            else if (smOk && !baselines.Contains((p.SeriesModel!.ToUpperInvariant(), p.Baseline.Trim())))
                report.Problem(at, "baseline", $"{p.SeriesModel} has no baseline {p.Baseline}");
        }
        else if (genOk && p.Baseline is not null && smOk && !baselines.Contains((p.SeriesModel!.ToUpperInvariant(), p.Baseline.Trim())))
            report.Problem(at, "baseline", $"{p.SeriesModel} has no baseline {p.Baseline}");
        if (p.Key is not null)
        {
            Span<byte> buffer = stackalloc byte[64];
            if (!Convert.TryFromBase64String(p.Key, buffer, out var n) || n is not (16 or 24 or 32))
                report.Problem(at, "key", "must be a base64 AES key of 16, 24 or 32 bytes");
            if (!p.Encrypted) report.Problem(at, "key", "a key is given but the package is not encrypted");
        }
        if (p.EcuPackages.Count == 0) report.Problem(at, "ecuPackages", "lists no ECU package");
        var packageEcus = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var e = 0; e < p.EcuPackages.Count; e++)
        {
            var key = p.EcuPackages[e];
            if (!ecuPackages.TryGetValue(key, out var ecuPackage))
            {
                report.Problem($"{at}.ecuPackages[{e}]", "ecuPackage", $"no ECU package with key '{key}'");
                continue;
            }
            if (!packageEcus.Add(ecuPackage.Ecu))
                report.Problem($"{at}.ecuPackages[{e}]", "ecuPackage", $"two ECU packages for ECU {ecuPackage.Ecu}");
            if (typeOk && type == PackageType.Full && ecuPackage.FromVersion is not null)
                report.Problem($"{at}.ecuPackages[{e}]", "ecuPackage", $"'{key}' is a delta ECU package; a Full package takes full ones");
        }
    }

    private static bool Required(ImportReport report, string at, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) return true;
        report.Problem(at, field, "missing");
        return false;
    }

    private static bool Known(ImportReport report, string at, string field, string? value, HashSet<string> known, string what)
    {
        if (!Required(report, at, field, value)) return false;
        if (known.Contains(value!)) return true;
        report.Problem(at, field, $"unknown {what} '{value}'");
        return false;
    }

    private static bool Version(ImportReport report, string at, string field, string? value)
    {
        if (!Required(report, at, field, value)) return false;
        if (FirmwareVersion.TryParse(value, out _)) return true;
        report.Problem(at, field, $"'{value}' is not a dotted numeric version");
        return false;
    }

    private static bool Enum<T>(ImportReport report, string at, string field, string? value) where T : struct, System.Enum =>
        Enum<T>(report, at, field, value, out _);

    private static bool Enum<T>(ImportReport report, string at, string field, string? value, out T parsed) where T : struct, System.Enum
    {
        if (FieldParsers.TryEnum(value, out parsed)) return true;
        report.Problem(at, field, value is null ? "missing" : $"'{value}' is not one of {FieldParsers.EnumNames<T>()}");
        return false;
    }
}
