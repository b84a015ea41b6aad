using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Driver;

namespace Ota.Infrastructure.Platform.Documents;

/// <summary>
/// The document store on MongoDB, chosen with <c>Documents:Provider = Mongo</c>. One Mongo collection per document
/// collection; each document is <c>{ _id, value, createdAt }</c> with the JSON kept as BSON (so it can be queried in
/// Mongo), which keeps its meaning but not its spacing or number formatting, as MySQL's JSON column does.
/// </summary>
public sealed class MongoDocumentStore : IDocumentStore
{
    private const string ValueField = "value";
    private const string CreatedAtField = "createdAt";
    private static readonly JsonWriterSettings Relaxed = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = false };

    private readonly IMongoDatabase _database;
    private readonly TimeProvider _clock;

    public MongoDocumentStore(string mongoUrl, string? databaseName, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mongoUrl);
        var url = MongoUrl.Create(mongoUrl);
        var settings = MongoClientSettings.FromUrl(url);
        // Fail fast when the server is gone rather than holding a vehicle's request for the driver's default 30 s.
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        _database = new MongoClient(settings).GetDatabase(databaseName ?? url.DatabaseName ?? "ota");
        _clock = clock;
    }

    public string DatabaseName => _database.DatabaseNamespace.DatabaseName;

    public async Task PutAsync(string collection, string id, string json, CancellationToken cancellationToken = default)
    {
        var document = ToBson(id, json, _clock.GetUtcNow().UtcDateTime);
        await Collection(collection).ReplaceOneAsync(ById(id), document, new ReplaceOptions { IsUpsert = true }, cancellationToken);
    }

    public async Task PutManyAsync(string collection, IReadOnlyList<DocumentToPut> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0) return;
        var now = _clock.GetUtcNow().UtcDateTime;
        var writes = documents
            .Select(d => (WriteModel<BsonDocument>)new ReplaceOneModel<BsonDocument>(ById(d.Id), ToBson(d.Id, d.Json, now)) { IsUpsert = true })
            .ToList();
        await Collection(collection).BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
    }

    public async Task<string?> GetAsync(string collection, string id, CancellationToken cancellationToken = default)
    {
        var document = await Collection(collection).Find(ById(id)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : ToJson(document[ValueField]);
    }

    public async Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var documents = await Collection(collection)
            .Find(Builders<BsonDocument>.Filter.Empty)
            .Sort(Builders<BsonDocument>.Sort.Ascending("_id"))
            .Limit(limit)
            .ToListAsync(cancellationToken);
        return documents.Select(d => new StoredDocument
        {
            Collection = collection,
            Id = d["_id"].AsString,
            Json = ToJson(d[ValueField]),
            CreatedAt = d[CreatedAtField].ToUniversalTime(),
        }).ToList();
    }

    private IMongoCollection<BsonDocument> Collection(string name) => _database.GetCollection<BsonDocument>(name);

    private static FilterDefinition<BsonDocument> ById(string id) => Builders<BsonDocument>.Filter.Eq("_id", id);

    /// <summary>Any JSON value (object, array or scalar) is kept under <c>value</c>; parsing it inside a wrapper accepts all three.</summary>
    private static BsonDocument ToBson(string id, string json, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(json);
        // Validate with System.Text.Json first so both stores reject the same malformed input with the same exception type.
        using (JsonDocument.Parse(json)) { }
        var value = BsonDocument.Parse("{\"v\":" + json + "}")["v"];
        return new BsonDocument { { "_id", id }, { ValueField, value }, { CreatedAtField, now } };
    }

    private static string ToJson(BsonValue value)
    {
        var wrapped = new BsonDocument("v", value).ToJson(Relaxed);
        using var document = JsonDocument.Parse(wrapped);
        return document.RootElement.GetProperty("v").GetRawText();
    }
}
