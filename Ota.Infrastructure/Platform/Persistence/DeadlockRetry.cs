using MySqlConnector;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// The one retry policy for statements that can deadlock. InnoDB resolves a deadlock by rolling one transaction back
/// and asking the client to try again (likewise a lock wait that timed out); the work given here is tried again, up to
/// five times, after a short random pause that grows with each attempt. The work must be repeatable: it re-reads or
/// re-checks whatever it changes.
/// </summary>
public static class DeadlockRetry
{
    private const int Attempts = 5;

    /// <param name="alsoRetry">Other errors that a fresh try resolves (for instance a key taken by a transaction that committed meanwhile).</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct = default, Func<MySqlException, bool>? alsoRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (MySqlException e) when ((IsRetryable(e) || alsoRetry?.Invoke(e) == true) && attempt < Attempts)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * attempt * attempt), ct);
            }
        }
    }

    public static Task RunAsync(Func<Task> work, CancellationToken ct = default) =>
        RunAsync(async () =>
        {
            await work();
            return true;
        }, ct);

    public static bool IsRetryable(MySqlException e) =>
        e.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;
}
