namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>An HTTP endpoint of another system; the adapter is switched off while <see cref="Url"/> is empty.</summary>
public class AdapterEndpointOptions
{
    public string? Url { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    public override string ToString() => $"{GetType().Name} {{ Url = {(IsConfigured ? "<set>" : "<none>")} }}";
}

/// <summary>Section <c>Adapters:LogService</c>: requests log read-backs of vehicles.</summary>
public sealed class LogServiceOptions : AdapterEndpointOptions
{
    public const string Section = "Adapters:LogService";
}

/// <summary>Section <c>Adapters:MessageService</c>: person-to-person messages, such as "cannot compensate".</summary>
public sealed class MessageServiceOptions : AdapterEndpointOptions
{
    public const string Section = "Adapters:MessageService";
}

/// <summary>Section <c>Adapters:MobilePush</c>: notifications to the vehicle owner's phone app.</summary>
public sealed class MobilePushOptions : AdapterEndpointOptions
{
    public const string Section = "Adapters:MobilePush";
}

/// <summary>A chat group's bot webhook; the URL itself is a credential, as is the signing secret.</summary>
public sealed class ChatWebhookTarget : AdapterEndpointOptions
{
    /// <summary>The bot's signing secret; when set, messages carry <c>timestamp</c> and <c>sign</c>.</summary>
    public string? Secret { get; set; }
}

/// <summary>Section <c>Webhooks</c>: one bot webhook per chat group.</summary>
public sealed class ChatWebhookOptions
{
    public const string Section = "Webhooks";

    public ChatWebhookTarget OperationsAssistant { get; set; } = new();

    public ChatWebhookTarget WorkOrderGroup { get; set; } = new();

    public ChatWebhookTarget FactoryGroup { get; set; } = new();

    public ChatWebhookTarget For(ChatGroup group) => group switch
    {
        ChatGroup.OperationsAssistant => OperationsAssistant,
        ChatGroup.WorkOrderGroup => WorkOrderGroup,
        ChatGroup.FactoryGroup => FactoryGroup,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, null),
    };
}

/// <summary>Section <c>Adapters:Http</c>: retry and timeout policy shared by every adapter.</summary>
public sealed class AdapterHttpOptions
{
    public const string Section = "Adapters:Http";

    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bound on one call including its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
