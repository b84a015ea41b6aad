namespace Ota.Infrastructure.VinLists;

/// <summary>Where a validation run stands: what the console shows while it runs and the open API answers when done.</summary>
public sealed record ValidationProgress(
    long RunId,
    long? TaskId,
    ValidationRunStatus Status,
    int TotalEntries,
    int DistinctVins,
    int ChunkCount,
    int ChunksDone,
    int VinsDone,
    int Accepted,
    int Rejected,
    IReadOnlyDictionary<string, int> RejectedByReason,
    IReadOnlyList<string> TaskCodes,
    string? TaskDetails,
    string? Error)
{
    public bool IsFinished => Status is ValidationRunStatus.Completed or ValidationRunStatus.Rejected or ValidationRunStatus.Failed;

    /// <summary>0–1 over the distinct VINs (staging counts as not started).</summary>
    public double Fraction => DistinctVins == 0 ? (IsFinished ? 1 : 0) : (double)VinsDone / DistinctVins;
}
