using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Telemetry;

/// <summary>One value of a gauge: the gauge's name, the value of its one label, the value.</summary>
public sealed record GaugeReading(string Gauge, string Label, long Value);

/// <summary>A flow's contribution to the gauges (tasks by state, queue lengths…), read by the sampler, never by a scrape.</summary>
public interface IGaugeSource
{
    Task<IReadOnlyList<GaugeReading>> ReadAsync(CancellationToken ct);
}

public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Whether <c>/metrics</c> is served and the meters are listened to.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>How often the gauges are read from the database and the job storage.</summary>
    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Where traces go over OTLP; empty: no traces (OTEL_EXPORTER_OTLP_ENDPOINT also sets it).</summary>
    public string? OtlpEndpoint { get; set; }
}

/// <summary>The gauges' latest readings, kept for the scrapes; each source's last good reading stays when a read fails.</summary>
public sealed class FleetGauges(TimeProvider clock)
{
    private volatile Snapshot _current = new(DateTimeOffset.MinValue, new Dictionary<Type, IReadOnlyList<GaugeReading>>());

    private sealed record Snapshot(DateTimeOffset TakenAt, IReadOnlyDictionary<Type, IReadOnlyList<GaugeReading>> BySource);

    public IEnumerable<Measurement<long>> Measure(string gauge, string label) =>
        _current.BySource.Values.SelectMany(r => r).Where(r => r.Gauge == gauge)
            .Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>(label, r.Label)));

    /// <summary>Seconds since the last round of readings; 0 before the first.</summary>
    public double AgeSeconds => _current.TakenAt == DateTimeOffset.MinValue ? 0 : (clock.GetUtcNow() - _current.TakenAt).TotalSeconds;

    internal void Update(Type source, IReadOnlyList<GaugeReading> readings) =>
        _current = _current with { BySource = new Dictionary<Type, IReadOnlyList<GaugeReading>>(_current.BySource) { [source] = readings } };

    internal void Taken() => _current = _current with { TakenAt = clock.GetUtcNow() };
}

/// <summary>Reads every gauge source each <see cref="TelemetryOptions.GaugeInterval"/> into <see cref="FleetGauges"/>.</summary>
public sealed partial class GaugeSampler(IEnumerable<IGaugeSource> sources, FleetGauges gauges, IOptions<TelemetryOptions> options,
    TimeProvider clock, ILogger<GaugeSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.GaugeInterval, clock);
        do
        {
            foreach (var source in sources)
            {
                try
                {
                    gauges.Update(source.GetType(), await source.ReadAsync(stoppingToken));
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // MariaDB or Redis away: the gauge keeps its last reading, and ota.gauges.age says how old it is.
                    LogReadFailed(source.GetType().Name, e);
                }
            }
            gauges.Taken();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the gauges of {Source} failed; they keep their last values")]
    private partial void LogReadFailed(string source, Exception exception);
}
