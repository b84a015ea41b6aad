using Ota.Domain.Operations;

namespace Ota.Domain.Tests.Operations;

public class ApiScopesParsing
{
    [Fact]
    public void NoListMeansEveryScope()
    {
        Assert.Equal(ApiScopes.All, ApiScopes.Parse(null));
        Assert.Equal(ApiScopes.All, ApiScopes.Parse("  "));
    }

    [Fact]
    public void AListIsReadWithCommasOrSpacesInTheCanonicalOrder()
    {
        Assert.Equal(["tasks:read", "tasks:write"], ApiScopes.Parse("tasks:write, TASKS:READ"));
        Assert.Equal(["tasks:read", "vehicles:read"], ApiScopes.Parse("vehicles:read tasks:read tasks:read"));
    }

    [Fact]
    public void AnUnknownScopeIsNamedInTheRefusal()
    {
        var refused = Assert.Throws<ArgumentException>(() => ApiScopes.Parse("tasks:read,tasks:delete"));
        Assert.Contains("'tasks:delete' is not a scope", refused.Message);
    }

    [Fact]
    public void StoredScopesReadBackAndUnknownWordsGrantNothing()
    {
        var stored = ApiScopes.Format(["vehicles:read", "tasks:read"]);

        Assert.Equal("tasks:read vehicles:read", stored);
        Assert.Equal(new HashSet<string> { "tasks:read", "vehicles:read" }, ApiScopes.Read(stored + " admin:all"));
        Assert.Empty(ApiScopes.Read(null));
    }
}
