using System.Text;
using Ota.Domain.Tasks.Rollouts;

namespace Ota.Domain.Tests.Tasks.Rollouts;

public sealed class RolloutAssignmentFairness
{
    [Fact]
    public void TheHashIsCrc32AsMariaDbComputesIt()
    {
        // CRC32('The quick brown fox jumps over the lazy dog') = 414FA339, the standard check value.
        Assert.Equal(0x414FA339u, RolloutAssignment.Crc32(Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog")));
    }

    [Fact]
    public void EveryGroupIsAFairSampleOfTheTaskAndTheAnswerNeverChanges()
    {
        var plan = RolloutPlan.Parse("""{"groups": [{"name": "a", "percent": 1}, {"name": "b", "percent": 10}, {"name": "c", "percent": 100}]}""");
        var vins = Enumerable.Range(0, 100_000).Select(i => $"LDEM0A{i:D11}").ToArray();
        var groups = vins.Select(v => RolloutAssignment.GroupOf(plan, 42, v)).ToArray();
        var sizes = groups.GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(sizes[0], 850, 1150);
        Assert.InRange(sizes[1], 8500, 9500);
        Assert.InRange(sizes[2], 89_000, 91_000);
        Assert.Equal(groups, vins.Select(v => RolloutAssignment.GroupOf(plan, 42, v)));
        // Another task draws another sample.
        Assert.NotEqual(groups.Take(2000), vins.Take(2000).Select(v => RolloutAssignment.GroupOf(plan, 43, v)));
    }

    [Fact]
    public void ANamedVinIsInItsGroupWhateverItsHash()
    {
        var plan = RolloutPlan.Parse("""{"groups": [{"name": "pilot", "percent": 0.01, "vins": ["LDEM0A00000000007"]}, {"name": "rest", "percent": 100}]}""");
        Assert.Equal(0, RolloutAssignment.GroupOf(plan, 1, "LDEM0A00000000007"));
    }
}
