using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Documents;

public enum DocumentStoreProvider { MySql, Mongo }

/// <summary>Section <c>Documents</c>: which store keeps package-description snapshots and variant definitions.</summary>
public sealed class DocumentStoreOptions
{
    public const string Section = "Documents";

    public DocumentStoreProvider Provider { get; set; } = DocumentStoreProvider.MySql;

    /// <summary>For <see cref="DocumentStoreProvider.Mongo"/>: a <c>mongodb://</c> URL; it may name the database.</summary>
    public string? MongoUrl { get; set; }

    /// <summary>The Mongo database when the URL names none; default <c>ota</c>.</summary>
    public string? MongoDatabase { get; set; }

    public override string ToString() => $"{nameof(DocumentStoreOptions)} {{ Provider = {Provider}, MongoUrl = {(string.IsNullOrEmpty(MongoUrl) ? "<none>" : "<set>")} }}";
}

public static class DocumentStoreRegistration
{
    /// <summary>
    /// Registers <see cref="IDocumentStore"/> by <c>Documents:Provider</c>: the MySQL JSON table by default, MongoDB when
    /// configured. Replaces any earlier registration, so it is the one place that decides.
    /// </summary>
    public static IServiceCollection AddDocumentStore(this IServiceCollection services)
    {
        services.AddOptions<DocumentStoreOptions>()
            .BindConfiguration(DocumentStoreOptions.Section)
            .Validate(o => o.Provider != DocumentStoreProvider.Mongo || IsMongoUrl(o.MongoUrl),
                "Documents:MongoUrl must be a mongodb:// or mongodb+srv:// URL when Documents:Provider is Mongo.")
            .ValidateOnStart();
        services.TryAddSingleton<MySqlDocumentStore>();
        services.RemoveAll<IDocumentStore>();
        services.AddSingleton<IDocumentStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DocumentStoreOptions>>().Value;
            return options.Provider == DocumentStoreProvider.Mongo
                ? new MongoDocumentStore(options.MongoUrl!, options.MongoDatabase, sp.GetRequiredService<TimeProvider>())
                : sp.GetRequiredService<MySqlDocumentStore>();
        });
        return services;
    }

    private static bool IsMongoUrl(string? url) =>
        url is not null && (url.StartsWith("mongodb://", StringComparison.Ordinal) || url.StartsWith("mongodb+srv://", StringComparison.Ordinal));
}
