using System.Security.Cryptography;

namespace Ota.Infrastructure.Platform.Identity;

/// <summary>Passwords for new console accounts: random, and always meeting the Identity password rules.</summary>
public static class PasswordGenerator
{
    // No look-alikes (0/O, 1/l/I) and no characters a shell or a URL treats specially, so it survives copy and paste.
    private const string Upper = "ABCDEFGHJKLMNPRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "-.+@";

    public static string Generate(int length = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 12);
        var all = Upper + Lower + Digits + Symbols;
        var chars = new char[length];
        // One of each class first, the rest from all of them, then shuffled.
        chars[0] = Pick(Upper);
        chars[1] = Pick(Lower);
        chars[2] = Pick(Digits);
        chars[3] = Pick(Symbols);
        for (var i = 4; i < length; i++) chars[i] = Pick(all);
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static char Pick(string from) => from[RandomNumberGenerator.GetInt32(from.Length)];
}
