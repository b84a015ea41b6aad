using System.ComponentModel.DataAnnotations;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>Settings of the vehicle API (section <c>VehicleApi</c>).</summary>
public sealed class VehicleApiOptions
{
    public const string Section = "VehicleApi";

    /// <summary>Largest accepted package-info body; a larger one is a 400 (BODY_TOO_LARGE) and is not read.</summary>
    [Range(256, 1 << 20)]
    public int MaxPackageInfoBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Largest accepted event report body (EEPROM data travels base64 inside it).</summary>
    [Range(1024, 64 << 20)]
    public int MaxEventsBodyBytes { get; set; } = 4 << 20;

    /// <summary>Allowed distance between <c>X-Ota-Timestamp</c> and the server's clock (SPEC §10: 300 s).</summary>
    public TimeSpan SignatureMaxSkew { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// How long a vehicle's secret is kept in memory. A signature that fails against a cached secret is checked again
    /// against the database, so a new secret works at once; a replaced one (rotate-secret, an import) is forgotten by
    /// every instance within a quarter of a second (<see cref="VehicleSecretRotations"/>), not after this long.
    /// </summary>
    public TimeSpan SecretCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the catalog's stamp is compared with the database; 0 checks on every request (tests).</summary>
    public TimeSpan CatalogCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most description snapshots written in one statement.</summary>
    [Range(1, 5000)]
    public int SnapshotBatchSize { get; set; } = 200;

    /// <summary>Snapshot statements in flight at once.</summary>
    [Range(1, 32)]
    public int SnapshotWriters { get; set; } = 2;

    /// <summary>Most package-info requests whose vehicles are read in one round trip.</summary>
    [Range(1, 500)]
    public int StateReadBatchSize { get; set; } = 64;

    /// <summary>Vehicle reads in flight at once.</summary>
    [Range(1, 32)]
    public int StateReaders { get; set; } = 2;

    /// <summary>Most event reports stored in one transaction.</summary>
    [Range(1, 500)]
    public int ReportBatchSize { get; set; } = 32;

    /// <summary>Event-report transactions in flight at once.</summary>
    [Range(1, 32)]
    public int ReportWriters { get; set; } = 3;
}
