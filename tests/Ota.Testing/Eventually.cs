using Xunit;

namespace Ota.Testing;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test, naming <paramref name="what"/> it waited for, after <paramref name="patience"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what) =>
        await WaitUntilAsync(condition, patience, what, () => Task.FromResult(""));

    /// <summary>
    /// As <see cref="WaitUntilAsync(Func{Task{bool}}, TimeSpan, string)"/>; a failure also says what <paramref name="state"/>
    /// describes then, so a wait that timed out in CI is diagnosed from its log.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what, Func<Task<string>> state)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
                Assert.Fail($"waited {patience.TotalSeconds:0} s for {what}{(await state() is { Length: > 0 } said ? $"; then: {said}" : "")}");
            await Task.Delay(100);
        }
    }
}
