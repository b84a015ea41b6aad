using System.Reflection;
using NetArchTest.Rules;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Tests.Architecture;

/// <summary>
/// Ota.Infrastructure's folders and which may use which (docs/architecture.md): every folder uses the platform and the
/// shared facts, the platform uses neither facts nor flows, and a flow uses another flow only where this table says so.
/// Dependencies point one way: the table, and the code, have no cycle.
/// </summary>
public sealed class FolderDependencies
{
    private const string Root = "Ota.Infrastructure";
    private const string Platform = Root + ".Platform";
    private const string Facts = Root + ".Facts";

    /// <summary>The flows, and the other flows each may use.</summary>
    private static readonly Dictionary<string, string[]> Flows = new()
    {
        ["VinLists"] = [],
        ["Tasks"] = ["VinLists", "Push", "Compensation", "Fleet"],
        ["Push"] = [],
        ["Compensation"] = ["Push"],
        ["Rollouts"] = ["Tasks"],
        ["PackageInfo"] = [],
        ["EventReports"] = ["FollowUps"],
        ["Ddi"] = ["PackageInfo", "EventReports"],
        ["FollowUps"] = ["Compensation"],
        ["Catalog"] = [],
        ["Fleet"] = [],
        ["Operations"] = ["FollowUps"],
        ["Administration"] = [],
        ["Demo"] = ["Catalog", "Fleet"],
    };

    private static readonly Assembly Infrastructure = typeof(OtaDbContext).Assembly;

    private static IEnumerable<string> Namespaces() => Infrastructure.GetTypes().Select(t => t.Namespace).OfType<string>()
        .Where(n => n == Root || n.StartsWith(Root + ".", StringComparison.Ordinal)).Distinct();

    private static IEnumerable<string> PlatformFolders() => Namespaces()
        .Where(n => n.StartsWith(Platform + ".", StringComparison.Ordinal))
        .Select(n => string.Join('.', n.Split('.').Take(4))).Distinct().Order();

    private static bool Uses(string from, string to) => !Types.InAssembly(Infrastructure).That().ResideInNamespace(from)
        .ShouldNot().HaveDependencyOn(to).GetResult().IsSuccessful;

    private static IReadOnlyList<string> TypesUsing(string from, string to) => Types.InAssembly(Infrastructure).That().ResideInNamespace(from)
        .ShouldNot().HaveDependencyOn(to).GetResult().FailingTypeNames ?? [];

    [Fact]
    public void EveryFolderIsAFlowTheFactsOrThePlatform()
    {
        var unknown = Namespaces()
            .Where(n => n != Root && n != Platform && !n.StartsWith(Platform + ".", StringComparison.Ordinal) && !n.StartsWith(Facts, StringComparison.Ordinal))
            .Where(n => !Flows.Keys.Any(flow => n == $"{Root}.{flow}" || n.StartsWith($"{Root}.{flow}.", StringComparison.Ordinal)))
            .ToList();
        Assert.True(unknown.Count == 0, $"Folders that are no flow, no fact reader and not the platform: {string.Join(", ", unknown)}. Add them to the table.");
    }

    [Fact]
    public void ThePlatformUsesNeitherTheFactsNorAnyFlow()
    {
        var wrong = Flows.Keys.Select(f => $"{Root}.{f}").Append(Facts)
            .SelectMany(folder => TypesUsing(Platform, folder).Select(type => $"{type} uses {folder}")).ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void TheFactsUseNoFlow()
    {
        var wrong = Flows.Keys.SelectMany(flow => TypesUsing(Facts, $"{Root}.{flow}").Select(type => $"{type} uses {flow}")).ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void AFlowUsesOnlyTheFlowsTheTableAllows()
    {
        var wrong = new List<string>();
        foreach (var (flow, allowed) in Flows)
            foreach (var other in Flows.Keys.Where(o => o != flow && !allowed.Contains(o)))
                wrong.AddRange(TypesUsing($"{Root}.{flow}", $"{Root}.{other}").Select(type => $"{type} uses {other}"));
        Assert.True(wrong.Count == 0, "Flows using flows they may not (or add the dependency to the table, one way):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheFlowsDependOnEachOtherOneWay()
    {
        Assert.Null(Cycle(Flows.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value)));
    }

    [Fact]
    public void ThePlatformsFoldersDependOnEachOtherOneWay()
    {
        var folders = PlatformFolders().ToList();
        Assert.Contains($"{Platform}.Persistence", folders);
        var graph = folders.ToDictionary(f => f, f => (IReadOnlyCollection<string>)folders.Where(o => o != f && Uses(f, o)).ToList());
        Assert.Null(Cycle(graph));
    }

    [Fact]
    public void TheCycleCheckFindsACycle()
    {
        Assert.Equal(["a", "b", "a"], Cycle(new Dictionary<string, IReadOnlyCollection<string>> { ["a"] = ["b"], ["b"] = ["a"] }));
        Assert.Null(Cycle(new Dictionary<string, IReadOnlyCollection<string>> { ["a"] = ["b"], ["b"] = [] }));
    }

    /// <summary>A path that comes back to where it started, or null when the graph has none.</summary>
    private static List<string>? Cycle(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            var at = path.IndexOf(node);
            if (at >= 0) return [.. path[at..], node];
            if (!done.Add(node)) return null;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []))
                if (Visit(next) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return graph.Keys.Order().Select(Visit).FirstOrDefault(c => c is not null);
    }
}
