using NetArchTest.Rules;

namespace Ota.Web.Tests.Architecture;

/// <summary>
/// Ota.Web is the host, the pages and components, and the endpoint mapping. What the console reads and changes goes
/// through the flows' services in Ota.Infrastructure: no SQL, no DbContext here. Its folders depend on each other one way.
/// </summary>
public sealed class WebLayering
{
    private static readonly System.Reflection.Assembly Web = typeof(Ota.Web.Hosting.OtaApp).Assembly;

    [Theory]
    [InlineData("MySqlConnector")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Ota.Infrastructure.Platform.Persistence.OtaDbContext")]
    [InlineData("StackExchange.Redis")]
    public void TheWebAppReachesNoStoreItself(string store)
    {
        var result = Types.InAssembly(Web).ShouldNot().HaveDependencyOn(store).GetResult();
        Assert.True(result.IsSuccessful, $"Use a flow's service instead of {store} in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [InlineData("Ota.Web.Apis", "Ota.Web.Hosting")]
    [InlineData("Ota.Web.Apis", "Ota.Web.Components")]
    [InlineData("Ota.Web.Apis", "Ota.Web.Cli")]
    [InlineData("Ota.Web.Components", "Ota.Web.Hosting")]
    [InlineData("Ota.Web.Components", "Ota.Web.Cli")]
    [InlineData("Ota.Web.Hosting", "Ota.Web.Cli")]
    public void FoldersDependOnEachOtherOneWay(string folder, string mayNotUse)
    {
        // Cli → Hosting → Components → Apis: the host maps the APIs and pages; pages link the APIs' downloads.
        var result = Types.InAssembly(Web).That().ResideInNamespace(folder).ShouldNot().HaveDependencyOn(mayNotUse).GetResult();
        Assert.True(result.IsSuccessful, $"{folder} uses {mayNotUse} in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void TheWebAppCarriesNoBenchmark()
    {
        Assert.DoesNotContain(Web.GetTypes(), t => t.Namespace?.Contains("Bench", StringComparison.Ordinal) == true);
    }
}
