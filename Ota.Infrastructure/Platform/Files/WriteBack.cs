using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ota.Infrastructure.Platform.Files;

/// <summary>
/// Starts writing a range of a file that is still being written to the disk, without waiting for it (Linux
/// <c>sync_file_range</c>, SYNC_FILE_RANGE_WRITE): the disk works while the upload goes on, and the fsync at its end has
/// little left. Elsewhere, and where the call fails, a plain flush to the disk does the same work, waiting.
/// </summary>
internal static class WriteBack
{
    private const uint SyncFileRangeWrite = 2;

    public static void Start(SafeFileHandle file, long from, long to)
    {
        if (OperatingSystem.IsLinux() && SyncFileRange(file, from, to - from, SyncFileRangeWrite) == 0) return;
        RandomAccess.FlushToDisk(file);
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
