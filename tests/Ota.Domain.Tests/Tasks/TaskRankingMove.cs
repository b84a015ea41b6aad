using Ota.Domain.Tasks;

namespace Ota.Domain.Tests.Tasks;

public sealed class TaskRankingMove
{
    // Ranked as the push job sends them: priority first, then the newer task.
    private static List<(long Id, int Priority)> Rank(params (long Id, int Priority)[] tasks) =>
        tasks.OrderByDescending(t => t.Priority).ThenByDescending(t => t.Id).ToList();

    private static List<long> Order(List<(long Id, int Priority)> ranked, IReadOnlyDictionary<long, int> changed) =>
        Rank(ranked.Select(t => (t.Id, changed.TryGetValue(t.Id, out var p) ? p : t.Priority)).ToArray()).Select(t => t.Id).ToList();

    [Fact]
    public void MovingUpSwapsPlacesWithTheTaskAbove()
    {
        var ranked = Rank((1, 5), (2, 3), (3, 1));
        var changed = TaskRanking.Move(ranked, 3, up: true)!;

        Assert.Equal([1, 3, 2], Order(ranked, changed));
        Assert.Equal(new Dictionary<long, int> { [3] = 3 }, changed);
    }

    [Fact]
    public void MovingAmongEqualPrioritiesRaisesOnlyWhatIsNeeded()
    {
        // All zero: ranked 4, 3, 2, 1 by id. Moving 2 up puts it above 3 and keeps 4 first.
        var ranked = Rank((1, 0), (2, 0), (3, 0), (4, 0));
        var changed = TaskRanking.Move(ranked, 2, up: true)!;

        Assert.Equal([4, 2, 3, 1], Order(ranked, changed));
        Assert.True(changed.Count <= 2);
    }

    [Fact]
    public void MovingDownIsTheTaskBelowMovingUp()
    {
        var ranked = Rank((1, 0), (2, 0), (3, 0));
        var changed = TaskRanking.Move(ranked, 3, up: false)!;

        Assert.Equal([2, 3, 1], Order(ranked, changed));
    }

    [Fact]
    public void TheFirstCannotMoveUpNorTheLastDown()
    {
        var ranked = Rank((1, 0), (2, 0));
        Assert.Null(TaskRanking.Move(ranked, 2, up: true));
        Assert.Null(TaskRanking.Move(ranked, 1, up: false));
    }

    [Fact]
    public void ATaskThatIsNotOpenIsRefused() =>
        Assert.Throws<ArgumentException>(() => TaskRanking.Move(Rank((1, 0)), 9, up: true));
}
