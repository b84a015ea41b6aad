using MySqlConnector;

namespace Ota.Infrastructure.Persistence;

/// <summary>
/// InnoDB resolves a deadlock by rolling one transaction back and asking the client to try again; short statements on
/// busy queue tables (follow-ups, claims) do exactly that here instead of failing the work.
/// </summary>
public static class DeadlockRetry
{
    /// <param name="alsoRetry">Other errors that a fresh try resolves (for instance a key taken by a transaction that committed meanwhile).</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> work, int attempts = 5, Func<MySqlException, bool>? alsoRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (MySqlException e) when ((IsRetryable(e) || alsoRetry?.Invoke(e) == true) && attempt < attempts)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * attempt));
            }
        }
    }

    public static Task RunAsync(Func<Task> work, int attempts = 5) =>
        RunAsync(async () =>
        {
            await work();
            return true;
        }, attempts);

    public static bool IsRetryable(MySqlException e) =>
        e.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;
}
