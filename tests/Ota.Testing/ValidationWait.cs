using Ota.Infrastructure.VinLists;
using Xunit;

namespace Ota.Testing;

public static class ValidationWait
{
    /// <summary>Polls a background validation run until it finishes; fails the test with where it stood after the timeout.</summary>
    public static async Task<ValidationProgress> UntilFinishedAsync(this TaskValidationService validation, long runId, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var progress = await validation.GetProgressAsync(runId);
            if (progress.IsFinished) return progress;
            Assert.True(DateTime.UtcNow < deadline,
                $"validation did not finish: {progress.VinsDone}/{progress.DistinctVins}, {progress.ChunksDone}/{progress.ChunkCount} chunks");
            await Task.Delay(200);
        }
    }
}
