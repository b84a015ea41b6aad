using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Rejects MQTT settings that could only fail later, naming every problem at start-up.</summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    // MQTT packet identifiers are 16-bit, so at most 65,535 publishes can await acknowledgement on one connection.
    private const int MaxPacketIdentifiers = 65_535;

    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var errors = new List<string>();
        if (options.Embedded ? options.Port is < 0 or > 65_535 : options.Port is < 1 or > 65_535)
            errors.Add($"Mqtt:Port {options.Port} is not a usable port{(options.Embedded ? " (0 chooses a free one)" : "")}.");
        if (!options.Embedded && string.IsNullOrWhiteSpace(options.Host))
            errors.Add("Mqtt:Host is required when Mqtt:Embedded is false.");
        if (options.Embedded && options.UseTls)
            errors.Add("Mqtt:UseTls applies to an external broker; the embedded broker serves TLS on Mqtt:TlsPort when Mqtt:TlsCertificate is set.");
        if (options.Embedded && !System.Net.IPAddress.TryParse(options.ListenAddress, out _))
            errors.Add($"Mqtt:ListenAddress '{options.ListenAddress}' is not an IP address.");
        if (options.Embedded && options.TlsCertificate is { Length: > 0 } certificate)
        {
            if (!File.Exists(certificate)) errors.Add($"Mqtt:TlsCertificate {certificate} does not exist.");
            if (options.TlsKey is { Length: > 0 } key && !File.Exists(key)) errors.Add($"Mqtt:TlsKey {key} does not exist.");
            if (!System.Net.IPAddress.TryParse(options.TlsListenAddress, out _))
                errors.Add($"Mqtt:TlsListenAddress '{options.TlsListenAddress}' is not an IP address.");
            if (options.TlsPort is < 0 or > 65_535 || (options.TlsPort == options.Port && options.Port != 0))
                errors.Add($"Mqtt:TlsPort {options.TlsPort} is not a usable port beside Mqtt:Port.");
        }
        if (options.Password is not null && string.IsNullOrEmpty(options.Username))
            errors.Add("Mqtt:Password is set without Mqtt:Username.");
        ValidateCertificates(options, errors);
        if (string.IsNullOrWhiteSpace(options.ClientIdPrefix))
            errors.Add("Mqtt:ClientIdPrefix must not be empty.");
        if (options.BatchSize < 1)
            errors.Add("Mqtt:BatchSize must be at least 1.");
        if (options.MaxInFlight is < 1 or > MaxPacketIdentifiers)
            errors.Add($"Mqtt:MaxInFlight must be between 1 and {MaxPacketIdentifiers}.");
        if (options.ConnectTimeout <= TimeSpan.Zero)
            errors.Add("Mqtt:ConnectTimeout must be positive.");
        if (options.PublishTimeout <= TimeSpan.Zero)
            errors.Add("Mqtt:PublishTimeout must be positive.");
        if (options.ReconnectDelay < TimeSpan.Zero)
            errors.Add("Mqtt:ReconnectDelay must not be negative.");
        if (options.KeepAlive < TimeSpan.FromSeconds(1) || options.KeepAlive > TimeSpan.FromSeconds(ushort.MaxValue))
            errors.Add("Mqtt:KeepAlive must be between 1 s and 65535 s.");
        if (options.DrainTimeout < TimeSpan.Zero)
            errors.Add("Mqtt:DrainTimeout must not be negative.");
        if (options.RefusalLogsPerMinute < 1)
            errors.Add("Mqtt:RefusalLogsPerMinute must be at least 1.");
        if (options.BrokerMaxPendingPerClient < 1)
            errors.Add("Mqtt:BrokerMaxPendingPerClient must be at least 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateCertificates(MqttOptions options, List<string> errors)
    {
        var certificates = !string.IsNullOrEmpty(options.CaCertificate) || !string.IsNullOrEmpty(options.ClientCertificate)
            || !string.IsNullOrEmpty(options.ClientKey) || options.UseVehicleCa;
        if (!certificates) return;
        if (options.Embedded || !options.UseTls)
            errors.Add("Mqtt:CaCertificate, Mqtt:ClientCertificate, Mqtt:ClientKey and Mqtt:UseVehicleCa apply to an external broker over TLS " +
                       "(Mqtt:Embedded=false, Mqtt:UseTls=true).");
        if (string.IsNullOrEmpty(options.ClientCertificate) != string.IsNullOrEmpty(options.ClientKey))
            errors.Add("Mqtt:ClientCertificate and Mqtt:ClientKey go together.");
        if (!string.IsNullOrEmpty(options.ClientCertificate) && options.UseVehicleCa)
            errors.Add("Mqtt:ClientCertificate and Mqtt:UseVehicleCa both name the app's client certificate; set one.");
        foreach (var (name, path) in new[] { ("CaCertificate", options.CaCertificate), ("ClientCertificate", options.ClientCertificate), ("ClientKey", options.ClientKey) })
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
                errors.Add($"Mqtt:{name}: no such file {path}.");
    }
}
