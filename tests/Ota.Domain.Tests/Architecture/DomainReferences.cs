using Ota.Domain.Tasks;

namespace Ota.Domain.Tests.Architecture;

/// <summary>Ota.Domain holds the rules as plain code: it references .NET alone, no store, framework or other project.</summary>
public sealed class DomainReferences
{
    [Fact]
    public void TheDomainReferencesNothingButDotNet()
    {
        var references = typeof(TaskVinLifecycle).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"Ota.Domain references {name}"));
    }
}
