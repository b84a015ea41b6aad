using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Ota.Infrastructure.Platform.Documents;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Documents;

/// <summary>
/// What every <see cref="IDocumentStore"/> must do, run against each store: MySQL here, MongoDB where
/// <c>OTA_TEST_MONGO_URL</c> names a server. Stores keep a document's meaning (not its spacing), so contents are compared as JSON.
/// </summary>
public abstract class DocumentStoreContract
{
    /// <summary>The store under test; a store that cannot run here skips the test with the reason.</summary>
    protected abstract IDocumentStore Store();

    private static void AssertSameJson(string expected, string? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}, got {actual}");
    }

    [SkippableFact]
    public async Task GivesBackWhatWasPutWithItsMeaning()
    {
        var store = Store();
        const string json = """{"vin": "LTESTD00000000001", "fileSize": 314572800, "big": 9007199254740993, "ratio": 0.25, "ok": true, "none": null, "ecus": [{"ecuCode": "CDC", "order": 1}], "text": "升级完成 ✓"}""";
        await store.PutAsync("contract_a", "doc-1", json);
        AssertSameJson(json, await store.GetAsync("contract_a", "doc-1"));
        Assert.Null(await store.GetAsync("contract_a", "doc-2"));
        Assert.Null(await store.GetAsync("contract_b", "doc-1"));
    }

    [SkippableFact]
    public async Task ReplacesADocumentPutAgain()
    {
        var store = Store();
        await store.PutAsync("contract_c", "same", """{"v": 1}""");
        await store.PutAsync("contract_c", "same", """{"v": 2, "w": [1, 2]}""");
        AssertSameJson("""{"v": 2, "w": [1, 2]}""", await store.GetAsync("contract_c", "same"));
        Assert.Single(await store.ListAsync("contract_c"));
    }

    [SkippableFact]
    public async Task PutsManyAtOnceReplacingThoseThatExist()
    {
        var store = Store();
        await store.PutAsync("contract_d", "b", """{"old": true}""");
        await store.PutManyAsync("contract_d", [new("a", """{"n": 1}"""), new("b", """{"n": 2}"""), new("c", """[1, "two", null]""")]);
        await store.PutManyAsync("contract_d", []);

        var all = await store.ListAsync("contract_d");
        Assert.Equal(["a", "b", "c"], all.Select(d => d.Id));
        AssertSameJson("""{"n": 2}""", all[1].Json);
        AssertSameJson("""[1, "two", null]""", all[2].Json);
        Assert.All(all, d => Assert.Equal("contract_d", d.Collection));
    }

    [SkippableFact]
    public async Task ListsACollectionInIdOrderUpToTheLimit()
    {
        var store = Store();
        foreach (var id in new[] { "k3", "k1", "k2" }) await store.PutAsync("contract_e", id, $$"""{"id": "{{id}}"}""");
        await store.PutAsync("contract_f", "k0", """{"other": true}""");

        Assert.Equal(["k1", "k2"], (await store.ListAsync("contract_e", limit: 2)).Select(d => d.Id));
        Assert.Equal(["k1", "k2", "k3"], (await store.ListAsync("contract_e")).Select(d => d.Id));
        Assert.Empty(await store.ListAsync("contract_none"));
    }

    [SkippableFact]
    public async Task RefusesTextThatIsNotJson()
    {
        var store = Store();
        await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync("contract_g", "bad", "{ not json"));
        Assert.Null(await store.GetAsync("contract_g", "bad"));
    }
}

public sealed class MySqlDocumentStoreContract(MariaDbFixture db) : DocumentStoreContract, IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly ServiceProvider _services = TestServices.Create(db);

    protected override IDocumentStore Store()
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        Assert.IsType<MySqlDocumentStore>(store); // the default provider
        return store;
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>Runs only where OTA_TEST_MONGO_URL is set (no MongoDB server can be installed on these machines); reported as skipped otherwise.</summary>
public sealed class MongoDocumentStoreContract : DocumentStoreContract, IAsyncLifetime
{
    private static readonly string? Url = Environment.GetEnvironmentVariable("OTA_TEST_MONGO_URL");
    private readonly string _database = $"ota_contract_{Guid.NewGuid():N}";

    protected override IDocumentStore Store()
    {
        Skip.If(string.IsNullOrWhiteSpace(Url),
            "SKIPPED: OTA_TEST_MONGO_URL is not set, so the MongoDB document store contract did not run here (no MongoDB server can be installed on this machine).");
        return new MongoDocumentStore(Url!, _database, TimeProvider.System);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!string.IsNullOrWhiteSpace(Url)) await new MongoClient(Url).DropDatabaseAsync(_database);
    }
}

/// <summary>The provider is chosen by configuration.</summary>
public sealed class DocumentStoreSelection(MariaDbFixture db) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public void ChoosesMongoWhenConfigured()
    {
        using var services = TestServices.Create(db, settings: new Dictionary<string, string?>
        {
            ["Documents:Provider"] = "Mongo",
            ["Documents:MongoUrl"] = "mongodb://127.0.0.1:1/ota_selection",
        });
        var store = Assert.IsType<MongoDocumentStore>(services.GetRequiredService<IDocumentStore>());
        Assert.Equal("ota_selection", store.DatabaseName);
    }

    [Fact]
    public void RefusesMongoWithoutAUrl()
    {
        using var services = TestServices.Create(db, settings: new Dictionary<string, string?> { ["Documents:Provider"] = "Mongo" });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DocumentStoreOptions>>().Value);
        Assert.Contains("Documents:MongoUrl", error.Message);
    }
}
