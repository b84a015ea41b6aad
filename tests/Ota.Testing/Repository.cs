namespace Ota.Testing;

/// <summary>The repository the tests were built from: its root (where Ota.sln is) and its source files.</summary>
public static class Repository
{
    public static DirectoryInfo Root { get; } = FindRoot();

    /// <summary>The C# and Razor sources of the product's projects (not the tests), generated migrations left out.</summary>
    public static IEnumerable<string> ProductSources() =>
        Directory.EnumerateDirectories(Root.FullName, "Ota.*")
            .SelectMany(project => Directory.EnumerateFiles(project, "*.*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal))
            .Where(path => !IsIn(path, "bin") && !IsIn(path, "obj") && !IsIn(path, "Migrations"));

    /// <summary>A path relative to the root, with forward slashes.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root.FullName, path).Replace('\\', '/');

    private static bool IsIn(string path, string folder) =>
        Path.GetRelativePath(Root.FullName, path).Split(Path.DirectorySeparatorChar).Contains(folder, StringComparer.Ordinal);

    private static DirectoryInfo FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ota.sln"))) return dir;
        throw new DirectoryNotFoundException($"No Ota.sln above {AppContext.BaseDirectory}.");
    }
}
