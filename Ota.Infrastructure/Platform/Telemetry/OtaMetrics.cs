using System.Diagnostics.Metrics;

namespace Ota.Infrastructure.Platform.Telemetry;

/// <summary>
/// The product's own metrics (SPEC §16), on the meter <see cref="MeterName"/>; names and units follow OpenTelemetry's
/// conventions (dotted lower-case names, UCUM units, no unit or <c>_total</c> in the name: the Prometheus exporter adds
/// those). The counters cost nothing while no exporter listens. The gauges read <see cref="FleetGauges"/>, which a
/// background sampler refreshes: a scrape never queries the database.
/// </summary>
public sealed class OtaMetrics
{
    public const string MeterName = "Ota";

    /// <summary>The gauges, by the names their sources (<see cref="IGaugeSource"/>) report under.</summary>
    public const string QueueLength = "ota.jobs.queue.length", Tasks = "ota.tasks", PausedRollouts = "ota.rollouts.paused";

    private readonly Counter<long> _notices;
    private readonly Counter<long> _noticeFailures;
    private readonly Counter<long> _validationVins;
    private readonly Counter<long> _events;
    private readonly Counter<long> _mqttRefusals;
    private readonly Histogram<double> _followUpLag;

    public OtaMetrics(IMeterFactory meters, FleetGauges gauges)
    {
        var meter = meters.Create(MeterName);
        _notices = meter.CreateCounter<long>("ota.notices.sent", "{notice}", "Notices the broker acknowledged, by kind (upgrade, cancel).");
        _noticeFailures = meter.CreateCounter<long>("ota.notices.failed", "{notice}", "Notices the broker did not acknowledge (the VIN stays pending).");
        _validationVins = meter.CreateCounter<long>("ota.validation.vins", "{vin}", "VINs judged by validation chunks, by verdict (accepted, rejected).");
        _events = meter.CreateCounter<long>("ota.vehicle.events.stored", "{event}", "Vehicle events stored (duplicates not counted), by type.");
        _mqttRefusals = meter.CreateCounter<long>("ota.mqtt.refusals", "{refusal}",
            "Connections, subscriptions and publishes the embedded broker refused, by kind (connect, subscribe, publish) and MQTT reason code.");
        _followUpLag = meter.CreateHistogram("ota.follow_up.lag", "s",
            "From a status report's receipt to the decision of its follow-ups.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        meter.CreateObservableGauge(QueueLength, () => gauges.Measure(QueueLength, "queue"), "{job}",
            "Work waiting: Hangfire jobs enqueued per queue, and status reports whose follow-ups are undecided (queue follow-ups).");
        meter.CreateObservableGauge(Tasks, () => gauges.Measure(Tasks, "state"), "{task}", "Tasks by state.");
        meter.CreateObservableGauge(PausedRollouts, () => gauges.Measure(PausedRollouts, "reason"), "{task}",
            "Paused tasks by why they were paused (ROLLOUT_ERROR_THRESHOLD, PACKAGE_REVOKED, OPERATOR).");
        meter.CreateObservableGauge("ota.gauges.age", () => gauges.AgeSeconds, "s", "How old the readings of the task, rollout and queue gauges are.");
    }

    public void NoticesSent(int sent, int failed, string kind)
    {
        if (sent > 0) _notices.Add(sent, new KeyValuePair<string, object?>("kind", kind));
        if (failed > 0) _noticeFailures.Add(failed, new KeyValuePair<string, object?>("kind", kind));
    }

    public void VinsValidated(int accepted, int rejected)
    {
        if (accepted > 0) _validationVins.Add(accepted, new KeyValuePair<string, object?>("verdict", "accepted"));
        if (rejected > 0) _validationVins.Add(rejected, new KeyValuePair<string, object?>("verdict", "rejected"));
    }

    public void EventsStored(string type, int count)
    {
        if (count > 0) _events.Add(count, new KeyValuePair<string, object?>("type", type));
    }

    public void MqttRefused(string kind, string code) =>
        _mqttRefusals.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("code", code));

    public void FollowUpDecided(TimeSpan lag) => _followUpLag.Record(Math.Max(0, lag.TotalSeconds));
}
