namespace Ota.Domain;

// The enumerations of SPEC §2. They are stored as strings, so renaming a member is a data migration.

/// <summary>Vehicle lifecycle, ordered: a later member is a later stage of the vehicle's life.</summary>
public enum LifecycleStatus { Produced, FinalAssemblyOffline, OkOffline, CertificatePrinted, InStock, Delivered }

public enum VehicleUsage { Engineering, Production }

public enum PackageStatus { Draft, Testing, Released, Revoked }

/// <summary>Generation of a software version: the middle segment of A.G.B.</summary>
public enum Generation { OTA1, OTA2 }

/// <summary>Whether a package (or an ECU package) is a full image or a delta from a previous version.</summary>
public enum PackageType { Full, Delta }

/// <summary>The package type an upgrade strategy asks for.</summary>
public enum StrategyPackageType { Full, Delta, Auto }

public enum VersionCompare { Compare, NoCompare, Auto }

public enum UpgradeMode { UserConfirm, Silent, Forced }

public enum EcuPackageKind { Component, Ecu }

public enum WhitelistType { Forced, SameVersion, Downgrade }

public enum TaskType { Test, Normal, Forced, Factory, Sampling, Delivery }

public enum TaskSource { Console, OpenApi, Diagnostic }

/// <summary>Life of an upgrade task (campaign).</summary>
public enum UpgradeTaskStatus { Draft, Validating, Published, Paused, Executed, Stopped, Cancelled }

/// <summary>Life of one VIN in one task.</summary>
public enum TaskVinState { Pending, Notified, Downloading, Upgrading, Succeeded, Failed, TimedOut, Cancelled, Superseded, Closed }

public enum TriggerType { NormalTask, ForcedTask, FactoryTask, SamplingTask, DeliveryTask, TestTask, Adi, User }

public enum UpgradeState { Downloading, Downloaded, WaitingForUpgrade, Upgrading, RollingBack, Succeeded, Failed, Cancelled }

public enum ErrorType { DownloadFailed, PrepareUpgradeFailed, UpgradeFailed, RollbackSucceeded, RollbackFailed, PeripheralUpgradeFailed }

public enum UpgradeCommandType { ScheduleUpgrade, UpgradeNow, CancelSchedule }

public enum VehicleEventType { DownloadProgress, UpgradeProgress, UpgradeStatus, UpgradeCommand, EepromClear }

public enum NoticeKind { Upgrade, Cancel }

/// <summary>Whether a cancelled task-VIN owes its vehicle a cancel notice (the vehicle may have heard of the task), was sent one, or (a DDI device) acknowledged it.</summary>
public enum CancelNoticeState { Due, Sent, Acknowledged }

/// <summary>How a vehicle takes its updates: this product's own vehicle API and MQTT notices, or the Eclipse hawkBit DDI API (SPEC §14).</summary>
public enum UpdateClient { Native, Ddi }
