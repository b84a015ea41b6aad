namespace Ota.Domain.Tasks.Rollouts;

/// <summary>
/// Which group a VIN of a task falls in: a stable hash of (task id, VIN) picks one of <see cref="Buckets"/> buckets, and
/// the group is the first whose cumulative share covers that bucket. Every group is a fair sample of the task, and the
/// answer never changes. The hash is CRC-32 (IEEE) of "taskId:VIN", MariaDB's CRC32(), so SQL assigns a million VINs
/// in one statement and this code gives the same answer.
/// </summary>
public static class RolloutAssignment
{
    /// <summary>The hash space: 0.01 % steps.</summary>
    public const int Buckets = 10_000;

    private static readonly uint[] Table = BuildTable();

    public static int Bucket(long taskId, string vin) => (int)(Crc32(System.Text.Encoding.ASCII.GetBytes($"{taskId}:{vin}")) % Buckets);

    /// <summary>The index of the group <paramref name="vin"/> falls in, named pilot VINs first.</summary>
    public static int GroupOf(RolloutPlan plan, long taskId, string vin)
    {
        for (var i = 0; i < plan.Groups.Count; i++)
            if (plan.Groups[i].Vins?.Contains(vin, StringComparer.Ordinal) == true) return i;
        var bucket = Bucket(taskId, vin);
        var bounds = plan.BucketBounds;
        for (var i = 0; i < bounds.Count; i++)
            if (bucket < bounds[i]) return i;
        return bounds.Count - 1;
    }

    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
