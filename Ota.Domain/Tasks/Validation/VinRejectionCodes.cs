using System.Numerics;

namespace Ota.Domain.Tasks.Validation;

/// <summary>Reason codes of a <see cref="VinRejection"/>, in the stable order of its bits.</summary>
public static class VinRejectionCodes
{
    private const int BitCount = 13;

    // Indexed by bit position; must follow the declaration order of VinRejection.
    private static readonly string[] CodeOfBit =
    [
        ReasonCodes.VinMalformed,
        ReasonCodes.VinDuplicate,
        ReasonCodes.VehicleNotFound,
        ReasonCodes.SeriesModelMismatch,
        ReasonCodes.PlatformMismatch,
        ReasonCodes.StatusNotAllowed,
        ReasonCodes.Blacklisted,
        ReasonCodes.UsageMismatch,
        ReasonCodes.FirmwareUnknown,
        ReasonCodes.UpgradeInProgress,
        ReasonCodes.SameVersionNotWhitelisted,
        ReasonCodes.DowngradeNotWhitelisted,
        ReasonCodes.ConfigWordMissing,
    ];

    // Only a few combinations occur in practice; each is built once, on first use, so listing codes for a million
    // rejected VINs allocates nothing after warm-up. Two threads racing build equal values, so no lock is needed.
    private static readonly string[]?[] CodeLists = new string[]?[1 << BitCount];
    private static readonly string?[] VerdictTexts = new string?[1 << BitCount];

    /// <summary>Every reason code of the rejection in stable order; empty when accepted.</summary>
    public static IReadOnlyList<string> Codes(this VinRejection rejection)
    {
        var key = Key(rejection);
        return CodeLists[key] ??= Build(key);
    }

    /// <summary>The first reason code, the one reported where only one fits; null when accepted.</summary>
    public static string? FirstCode(this VinRejection rejection) =>
        rejection == VinRejection.None ? null : CodeOfBit[BitOperations.TrailingZeroCount(Key(rejection))];

    /// <summary>The codes separated by spaces, as ota_task_vin stores its verdict; empty when accepted.</summary>
    public static string ToVerdictText(this VinRejection rejection)
    {
        var key = Key(rejection);
        return VerdictTexts[key] ??= string.Join(' ', CodeLists[key] ??= Build(key));
    }

    /// <summary>The bit of one reason code; false for codes that are not per-VIN (task-level codes, unknown text).</summary>
    public static bool TryFromCode(string code, out VinRejection rejection)
    {
        var bit = Array.IndexOf(CodeOfBit, code);
        rejection = bit < 0 ? VinRejection.None : (VinRejection)(1 << bit);
        return bit >= 0;
    }

    private static int Key(VinRejection rejection)
    {
        var key = (int)rejection;
        if ((uint)key >= 1u << BitCount)
            throw new ArgumentOutOfRangeException(nameof(rejection), rejection, "Not a combination of VinRejection bits.");
        return key;
    }

    private static string[] Build(int key)
    {
        if (key == 0) return [];
        var codes = new string[BitOperations.PopCount((uint)key)];
        var n = 0;
        for (var bit = 0; bit < BitCount; bit++)
            if ((key & (1 << bit)) != 0) codes[n++] = CodeOfBit[bit];
        return codes;
    }
}
