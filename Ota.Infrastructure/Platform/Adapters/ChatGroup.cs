namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>The chat groups the console posts to (SPEC §7).</summary>
public enum ChatGroup
{
    /// <summary>OTA operations assistant: failure reports.</summary>
    OperationsAssistant,
    /// <summary>Upgrade-failure work-order group.</summary>
    WorkOrderGroup,
    /// <summary>Factory OTA group: sampling-task status reports.</summary>
    FactoryGroup,
}
