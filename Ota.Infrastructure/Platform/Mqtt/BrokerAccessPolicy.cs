using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Ota.Domain;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// Who may do what on the embedded broker (SPEC §15): a vehicle connects as its VIN with its MQTT password and may
/// subscribe to its own notice topic only; the product's service identity alone publishes notices; the monitor
/// identity may read any vehicle's notices. Everything else is refused, counted (<c>ota.mqtt.refusals</c>) and logged,
/// never with the password, at most <see cref="MqttOptions.RefusalLogsPerMinute"/> lines a minute.
/// </summary>
public sealed partial class BrokerAccessPolicy(
    BrokerCredentials credentials, VehicleSecrets secrets, IOptions<MqttOptions> options, ILogger<BrokerAccessPolicy> logger,
    OtaMetrics? metrics = null, TimeProvider? clock = null)
{
    // Whatever a client sends as its user name is logged cut to this, so a hostile name cannot flood the log.
    private const int LoggedNameLength = 40;

    private readonly RefusalLog _refusals = new(options.Value.RefusalLogsPerMinute, clock ?? TimeProvider.System);

    private volatile bool _stopping;

    /// <summary>
    /// While the broker stops, notices and new connections are refused (their VINs stay pending and are sent again) so
    /// that what it already took can reach the vehicles before it goes.
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
        Refused("connect", refusal.Value.Code.ToString(), () =>
            LogConnectionRefused(logger, refusal.Value.Reason, Loggable(user), Loggable(e.ClientId), e.RemoteEndPoint?.ToString()));
    }

    private async ValueTask<(MqttConnectReasonCode Code, string Reason)?> RefusalAsync(ValidatingConnectionEventArgs e, string? user)
    {
        // A stopping broker takes no one new: its publishers were just sent away so that it can drain.
        if (_stopping) return (MqttConnectReasonCode.ServerUnavailable, "the broker is stopping");
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
            Refused("subscribe", nameof(MqttSubscribeReasonCode.NotAuthorized), () =>
                LogSubscriptionRefused(logger, Loggable(e.UserName), Loggable(filter, 120)));
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
        Refused("publish", nameof(MqttPubAckReasonCode.NotAuthorized), () =>
            LogPublishRefused(logger, Loggable(e.UserName), Loggable(e.ApplicationMessage.Topic, 120)));
        return Task.CompletedTask;
    }

    /// <summary>Counts a refusal and writes it unless this minute's lines are spent (<see cref="RefusalLog"/>).</summary>
    private void Refused(string kind, string code, Action write)
    {
        metrics?.MqttRefused(kind, code);
        var decision = _refusals.Next();
        if (!decision.Write) return;
        if (decision.UnwrittenBefore > 0)
            LogRefusalsUnwritten(logger, decision.UnwrittenBefore, decision.PreviousWindowStart);
        write();
        if (decision.LastOfWindow)
            LogRefusalsPaused(logger, options.Value.RefusalLogsPerMinute, decision.WindowEnd);
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

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Limit} MQTT refusals logged this minute: further ones until {Until:u} are counted in ota_mqtt_refusals_total, not logged")]
    private static partial void LogRefusalsPaused(ILogger logger, int limit, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more MQTT refusals in the minute from {Since:u} were not logged")]
    private static partial void LogRefusalsUnwritten(ILogger logger, long count, DateTimeOffset since);
}
