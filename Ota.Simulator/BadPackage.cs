using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ota.Domain;

namespace Ota.Simulator;

/// <summary>
/// A bad package (<see cref="SimulatorOptions.FailVersion"/>, <see cref="SimulatorOptions.FailShare"/>): which vehicles
/// fail their upgrade to it, and how. Both follow from a SHA-256 of the VIN alone, so every run (and every process)
/// picks the same vehicles and the same error types, and the pick has nothing to do with the server's rollout groups.
/// </summary>
public static class BadPackage
{
    /// <summary>The error type the vehicle fails the upgrade to <paramref name="targetVersion"/> with; null when it does not fail.</summary>
    public static ErrorType? FailureOf(SimulatorOptions options, string vin, string targetVersion)
    {
        if (options.FailShare <= 0 || !string.Equals(options.FailVersion, targetVersion, StringComparison.Ordinal)) return null;
        var (position, pick) = Hash(vin);
        if (position >= options.FailShare) return null;
        return ErrorTypeAt(options.FailureTypes, (int)(pick % (uint)options.FailureTypes.Sum(f => f.Weight)));
    }

    /// <summary>The error type at <paramref name="pick"/> (0 to the total weight less one) of the weighted list.</summary>
    internal static ErrorType ErrorTypeAt(IReadOnlyList<(ErrorType Type, int Weight)> types, int pick)
    {
        foreach (var (type, weight) in types)
        {
            if (pick < weight) return type;
            pick -= weight;
        }
        return types[^1].Type;
    }

    /// <summary>Where the VIN falls in [0, 1) (the vehicle fails when this is below the share), and a number to pick its error type with.</summary>
    private static (double Position, uint Pick) Hash(string vin)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(vin), hash);
        return ((BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53)), BinaryPrimitives.ReadUInt32BigEndian(hash[8..]));
    }
}
