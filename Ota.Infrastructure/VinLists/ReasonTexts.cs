using Ota.Domain;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.VinLists;

/// <summary>The reason codes of SPEC §3 (and the file codes) in words an operator can act on, for the console and exports.</summary>
public static class ReasonTexts
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        [ReasonCodes.PackageNotFound] = "No package exists for this series-model and target version.",
        [ReasonCodes.PackageNotReleased] = "The package is not released; formal tasks need a released package.",
        [ReasonCodes.BaselineDescriptionMissing] = "The package's baseline has no description.",
        [ReasonCodes.BaselineNotFormal] = "Delivery tasks need a formal baseline.",
        [ReasonCodes.VersionInvalid] = "The target version is not a dotted version whose middle number is 1 (OTA1) or 2 (OTA2).",
        [ReasonCodes.StrategyDefaultMissing] = "The series-model has no default upgrade strategy.",
        [ReasonCodes.StrategyEcuOrderMissing] = "A strategy of the series-model has ECUs without an upgrade order.",
        [ReasonCodes.VinListEmpty] = "The list holds no VINs.",
        [ReasonCodes.VinDuplicate] = "The VIN appears more than once in the list (it is kept once).",
        [ReasonCodes.VinMalformed] = "Not a VIN: 17 characters A-Z and 0-9, without I, O and Q.",
        [ReasonCodes.VehicleNotFound] = "The vehicle is not in the vehicle registry.",
        [ReasonCodes.SeriesModelMismatch] = "The vehicle belongs to another series-model.",
        [ReasonCodes.PlatformMismatch] = "The vehicle is on another platform.",
        [ReasonCodes.StatusNotAllowed] = "The vehicle's lifecycle status does not allow this task type.",
        [ReasonCodes.Blacklisted] = "The vehicle is on the blacklist.",
        [ReasonCodes.UsageMismatch] = "The vehicle's usage (engineering, production, sold) does not fit this task type.",
        [ReasonCodes.FirmwareUnknown] = "The vehicle's current firmware version is unknown.",
        [ReasonCodes.UpgradeInProgress] = "The vehicle is still in an upgrade started by another task.",
        [ReasonCodes.SameVersionNotWhitelisted] = "The vehicle already runs the target version and is not on the same-version whitelist.",
        [ReasonCodes.DowngradeNotWhitelisted] = "The target is older than the vehicle's firmware and the vehicle is not on the downgrade whitelist.",
        [ReasonCodes.ConfigWordMissing] = "The vehicle's variant needs a config word and the vehicle has none.",
        [TabularFile.CodeUnreadable] = "The file cannot be read as a spreadsheet.",
        [TabularFile.CodeUnsupported] = "Only .xlsx and .csv files can be uploaded.",
        [TabularFile.CodeEmpty] = "The file is empty.",
        [VinFileReader.CodeNoVinColumn] = "The file has no VIN column.",
    };

    public static string Describe(string code) => Texts.TryGetValue(code, out var text) ? text : code;

    public static string Describe(IEnumerable<string> codes) => string.Join(" ", codes.Select(Describe));

    /// <summary>A stored "CODE: words" error (a file that could not be read) as the words, with the code for support.</summary>
    public static string Failure(string? error)
    {
        if (string.IsNullOrWhiteSpace(error)) return "Validation stopped unexpectedly.";
        var colon = error.IndexOf(':');
        return colon > 0 && error[..colon].All(c => char.IsUpper(c) || c == '_')
            ? $"{error[(colon + 1)..].Trim()} ({error[..colon]})"
            : error;
    }
}
