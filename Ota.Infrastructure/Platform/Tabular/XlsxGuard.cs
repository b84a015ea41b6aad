using System.IO.Compression;

namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>
/// Looks inside a workbook before it is parsed: a few kilobytes that unpack to gigabytes (a zip bomb) or a workbook too
/// big to be a VIN list are refused, so reading one never takes unbounded memory or time.
/// </summary>
internal static class XlsxGuard
{
    /// <summary>All parts unpacked together: a 2,000,000-row VIN sheet is about 180 MiB.</summary>
    public const long MaxUnpackedBytes = 256L * 1024 * 1024;

    /// <summary>Real sheets pack about 7:1; a bomb packs thousands to one.</summary>
    public const int MaxCompressionRatio = 200;

    public static void Check(Stream stream)
    {
        if (!stream.CanSeek) return;
        var start = stream.Position;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (entry.Length > 1024 * 1024 && entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > MaxCompressionRatio)
                    throw new TabularFileException(TabularFile.CodeUnreadable,
                        $"The workbook part {entry.FullName} unpacks {entry.Length / entry.CompressedLength}:1; this is not an ordinary spreadsheet (a zip bomb?).");
            }
            if (total > MaxUnpackedBytes)
                throw new TabularFileException(TabularFile.CodeTooLarge,
                    $"The workbook unpacks to {total / 1024 / 1024} MiB, more than the {MaxUnpackedBytes / 1024 / 1024} MiB a VIN list may have; split it.");
        }
        catch (InvalidDataException ex)
        {
            throw new TabularFileException(TabularFile.CodeUnreadable, "The file is not a readable .xlsx workbook (its zip structure is damaged).", ex);
        }
        finally
        {
            stream.Position = start;
        }
    }
}
