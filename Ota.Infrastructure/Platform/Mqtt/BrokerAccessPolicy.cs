using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Ota.Domain;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// Who may do what on the embedded broker (SPEC §15): a vehicle connects as its VIN with its MQTT password and may
/// subscribe to its own notice topic only; the product's service identity alone publishes notices; the monitor
/// identity may read any vehicle's notices. Everything else is refused and logged, never with the password.
/// </summary>
public sealed partial class BrokerAccessPolicy(BrokerCredentials credentials, VehicleSecrets secrets, ILogger<BrokerAccessPolicy> logger)
{
    // Whatever a client sends as its user name is logged cut to this, so a hostile name cannot flood the log.
    private const int LoggedNameLength = 40;

    private volatile bool _stopping;

    /// <summary>
    /// While the broker stops, notices are refused (their VINs stay pending and are sent again) so that what it already
    /// took can reach the vehicles before it goes.
    /// </summary>
    public bool Stopping
    {
        get => _stopping;
        set => _stopping = value;
    }

    public void Apply(MqttServer server)
    {
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var user = e.UserName;
        var refusal = await RefusalAsync(e, user).ConfigureAwait(false);
        if (refusal is null) return;
        e.ReasonCode = refusal.Value.Code;
        LogConnectionRefused(logger, refusal.Value.Reason, Loggable(user), Loggable(e.ClientId), e.RemoteEndPoint?.ToString());
    }

    private async ValueTask<(MqttConnectReasonCode Code, string Reason)?> RefusalAsync(ValidatingConnectionEventArgs e, string? user)
    {
        if (string.IsNullOrEmpty(user)) return (MqttConnectReasonCode.NotAuthorized, "no credential");

        if (credentials.PasswordOf(user) is { } productPassword)
            return Matches(productPassword, e.RawPassword) ? null : (MqttConnectReasonCode.BadUserNameOrPassword, "wrong password");

        if (Vin.Normalize(user) != user) return (MqttConnectReasonCode.BadUserNameOrPassword, "the user name is not a VIN");
        // The client id is the session's name: a vehicle must not take over another client's session (the product's
        // sender, or another vehicle), so it names its sessions after its own VIN.
        if (e.ClientId != user && !e.ClientId.StartsWith(user + "-", StringComparison.Ordinal))
            return (MqttConnectReasonCode.ClientIdentifierNotValid, "a vehicle's client id must be its VIN or start with VIN-");
        if (e.RawPassword is not { Length: > 0 } password) return (MqttConnectReasonCode.BadUserNameOrPassword, "no password");
        var known = await secrets.MatchesAsync(user, secret => VehicleSignature.IsMqttPassword(secret, user, password), e.CancellationToken)
            .ConfigureAwait(false);
        // An unknown VIN and a wrong password answer alike, so the broker does not tell which VINs exist.
        return known ? null : (MqttConnectReasonCode.BadUserNameOrPassword, "wrong password or unknown VIN");
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        var allowed = e.UserName switch
        {
            BrokerCredentials.MonitorUser => filter == NoticeTopics.AllVehicles || NoticeTopics.VinOf(filter) is { } vin && Vin.Normalize(vin) == vin,
            BrokerCredentials.ServiceUser => false,
            { } vehicle => filter == NoticeTopics.ForVin(vehicle),
            null => false,
        };
        if (!allowed)
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogSubscriptionRefused(logger, Loggable(e.UserName), Loggable(filter, 120));
        }
        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Called for every notice of a push: the product's own publishes must cost one comparison.
        if (e.UserName == BrokerCredentials.ServiceUser && NoticeTopics.VinOf(e.ApplicationMessage.Topic) is not null)
        {
            if (!_stopping) return Task.CompletedTask;
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.Response.ReasonString = "the broker is stopping";
            return Task.CompletedTask;
        }
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        LogPublishRefused(logger, Loggable(e.UserName), Loggable(e.ApplicationMessage.Topic, 120));
        return Task.CompletedTask;
    }

    private static bool Matches(string expected, byte[]? presented) =>
        presented is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), presented);

    private static string Loggable(string? text, int length = LoggedNameLength)
    {
        if (string.IsNullOrEmpty(text)) return "(none)";
        var cut = text.Length > length ? text[..length] + "…" : text;
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection refused: {Reason} (user {User}, client {ClientId}, from {Endpoint})")]
    private static partial void LogConnectionRefused(ILogger logger, string reason, string user, string clientId, string? endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT subscription refused: user {User} may not subscribe to {Filter}")]
    private static partial void LogSubscriptionRefused(ILogger logger, string user, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT publish refused: user {User} may not publish to {Topic}")]
    private static partial void LogPublishRefused(ILogger logger, string user, string topic);
}
