namespace Ota.Domain.Operations;

/// <summary>A work order opened for a vehicle whose upgrade failed.</summary>
public class WorkOrder
{
    public long Id { get; set; }
    public string Vin { get; set; } = "";
    public long? TaskId { get; set; }
    public ErrorType? ErrorType { get; set; }
    public string? InnerErrorCode { get; set; }
    public string Title { get; set; } = "";
    public string Status { get; set; } = "Open";
    public DateTime CreatedAt { get; set; }
}

/// <summary>An entry of the in-app notification centre: every outgoing message is kept here, whatever else delivers it.</summary>
public class Notification
{
    public long Id { get; set; }
    /// <summary>Who the message is for: OperationsAssistant, WorkOrderGroup, FactoryGroup, Message, MobilePush, LogService…</summary>
    public string Channel { get; set; } = "";
    public string Title { get; set; } = "";
    public string Text { get; set; } = "";
    public string? Vin { get; set; }
    public long? TaskId { get; set; }
    /// <summary>One of <see cref="NotificationDelivery"/>.</summary>
    public string DeliveryStatus { get; set; } = NotificationDelivery.Local;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public bool IsRead { get; set; }
}

/// <summary>Where the delivery of a <see cref="Notification"/> stands.</summary>
public static class NotificationDelivery
{
    /// <summary>To be delivered (again) by the follow-up worker.</summary>
    public const string Pending = "Pending";
    public const string Delivered = "Delivered";
    /// <summary>Given up after the last attempt.</summary>
    public const string Failed = "Failed";
    /// <summary>No external endpoint is configured for its channel: kept in the notification centre only.</summary>
    public const string Local = "Local";

    public static IReadOnlyList<string> All { get; } = [Pending, Delivered, Failed, Local];
}

/// <summary>Who changed what, when, with the state before and after.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public string User { get; set; } = "";
    public string Action { get; set; } = "";
    public string Entity { get; set; } = "";
    public string? EntityId { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public DateTime At { get; set; }
}

/// <summary>An open-API key; only its SHA-256 hash is stored.</summary>
public class ApiKey
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string KeyHash { get; set; } = "";
    /// <summary>The first characters of the key, shown so operators can tell keys apart.</summary>
    public string Prefix { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    /// <summary>Whether the key may create tasks of source Diagnostic (the after-sales tool's), which skip the fleet-wide guards.</summary>
    public bool AllowsDiagnostic { get; set; }
    /// <summary>What the key may do: <see cref="ApiScopes"/>, space-separated.</summary>
    public string Scopes { get; set; } = ApiScopes.Format(ApiScopes.All);
}
