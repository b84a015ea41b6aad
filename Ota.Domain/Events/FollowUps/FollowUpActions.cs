namespace Ota.Domain.Events.FollowUps;

public enum FollowUpActionKind
{
    OperationsAssistantMessage,
    WorkOrder,
    LogReadBack,
    FlagForResend,
    CannotCompensate,
    RecordErrorTypeOnTaskVin,
    MobilePush,
    FirmwareVersionUpdate,
    PublishToStream,
    FactoryGroupMessage,
}

/// <summary>An action decided after an UpgradeStatus report; the caller carries it out and records that it did.</summary>
public abstract record FollowUpAction
{
    public abstract FollowUpActionKind Kind { get; }
}

/// <summary>Item 1: message to the OTA operations assistant.</summary>
public sealed record OperationsAssistantMessage(string Text) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.OperationsAssistantMessage;
}

/// <summary>Item 2: create a work order and post <paramref name="GroupMessage"/> to the upgrade-failure work-order group.</summary>
public sealed record WorkOrder(string Title, ErrorType ErrorType, string GroupMessage) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.WorkOrder;
}

/// <summary>Item 3: ask the log service for the vehicle's logs of this window.</summary>
public sealed record LogReadBack(DateTimeOffset From, DateTimeOffset To) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.LogReadBack;
}

/// <summary>Item 4: validate the task-VIN again (SPEC §3) and, when it passes, set is_resend for the compensation job.</summary>
public sealed record FlagForResend(long TaskId) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.FlagForResend;
}

/// <summary>Item 4: the resend limit is reached; send this through the message service.</summary>
public sealed record CannotCompensate(long TaskId, int ResendCount, int MaxResendCount, string Text) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.CannotCompensate;
}

/// <summary>Item 5.</summary>
public sealed record RecordErrorTypeOnTaskVin(long TaskId, ErrorType ErrorType) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.RecordErrorTypeOnTaskVin;
}

public enum MobilePushKind { Success, Failure, PreconditionsNotMet }

/// <summary>Item 6: a notice to the owner's phone.</summary>
public sealed record MobilePush(MobilePushKind PushKind, string Text) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.MobilePush;
}

/// <summary>Item 6: the vehicle's firmware version is now <paramref name="Version"/>.</summary>
public sealed record FirmwareVersionUpdate(string Version) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.FirmwareVersionUpdate;
}

/// <summary>Item 7: publish the report to the upgrade-status stream.</summary>
public sealed record PublishToStream : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.PublishToStream;
}

/// <summary>Item 8: post to the factory OTA group.</summary>
public sealed record FactoryGroupMessage(string Text) : FollowUpAction
{
    public override FollowUpActionKind Kind => FollowUpActionKind.FactoryGroupMessage;
}
