using Xunit;

namespace Ota.Testing;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test, naming <paramref name="what"/> it waited for, after <paramref name="patience"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {patience.TotalSeconds:0} s for {what}");
            await Task.Delay(100);
        }
    }
}
