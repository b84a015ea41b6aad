namespace Ota.Infrastructure.Catalog.Files;

/// <summary>An upload or change of a package file that is refused whole (SPEC §13), with a stable code and an HTTP status.</summary>
public sealed class PackageFileException(string code, int status, string detail) : Exception(detail)
{
    public const string HashMismatch = "FILE_HASH_MISMATCH";
    public const string SizeMismatch = "FILE_SIZE_MISMATCH";
    public const string TooLarge = "FILE_TOO_LARGE";
    public const string InUse = "FILE_IN_USE";
    public const string Incomplete = "FILE_UPLOAD_INCOMPLETE";
    public const string PackageNotFound = "ECU_PACKAGE_NOT_FOUND";
    public const string FileNotFound = "FILE_NOT_FOUND";

    public string Code { get; } = code;
    public int Status { get; } = status;
}
