using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ota.Domain;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Platform.Mqtt;

namespace Ota.Simulator;

/// <summary>
/// One vehicle's reaction to an upgrade notice: fetch the description, check its signature and its content, download,
/// upgrade, report every step, succeed or fail as the options say, and stop when told to cancel.
/// </summary>
internal sealed class VehicleBehaviour(
    VehicleApiClient api, SigningKeyRing keys, PackageDownloader downloader, SimulatorOptions options, SimulationSummary summary)
{
    private readonly int _failureWeight = options.FailureTypes.Sum(f => f.Weight);

    public async Task UpgradeAsync(SimulatedVehicle vehicle, NoticeMessage notice, Random random, CancellationToken ct)
    {
        var answer = await api.PackageInfoAsync(vehicle, notice.Version, notice.TaskId, ct);
        if (answer.Status == HttpStatusCode.UnprocessableEntity)
        {
            if (answer.Body?["code"] is null) summary.ProtocolError($"{vehicle.Vin}: 422 without a code");
            summary.IneligibleVehicle();
            summary.Outcome(vehicle.Vin, "Ineligible");
            return;
        }
        if (answer.Status != HttpStatusCode.OK)
        {
            summary.ProtocolError($"{vehicle.Vin}: package-info answered {(int)answer.Status}: {Shorten(answer.Raw)}");
            return;
        }
        summary.Description();
        // Checked over the bytes received, before anything in them is believed.
        if (await keys.RefuseDescriptionAsync(answer, ct) is { } refusal)
        {
            summary.ForgeryRefused($"{vehicle.Vin}: description for task {notice.TaskId}: {refusal}");
            summary.Outcome(vehicle.Vin, "ForgeryRefused");
            return;
        }
        var problems = DescriptionCheck.Problems(answer.Body, vehicle.Vin, notice.Version);
        if (problems.Count > 0)
        {
            summary.ProtocolError($"{vehicle.Vin}: description: {string.Join("; ", problems)}");
            return;
        }

        var trigger = Enum.TryParse<TaskType>(notice.UpgradeType, out var type) ? TaskTypeRules.For(type).Trigger : TriggerType.User;
        var files = PackageFile.ListFrom(answer.Body!);
        var packageId = answer.Body!["packageId"]?.GetValue<long?>();
        // Drawn for every vehicle, so a bad package leaves the random draws of the others as they were.
        var drawn = random.NextDouble() < options.FailureRate ? PickFailure(random) : (ErrorType?)null;
        var badPackage = BadPackage.FailureOf(options, vehicle.Vin, notice.Version);
        var failure = badPackage ?? drawn;
        var report = new Report(api, summary, vehicle, notice, trigger);

        void Failed(ErrorType type)
        {
            summary.Failure(type.ToString());
            if (badPackage is not null) summary.BadPackageFailure();
            summary.Outcome(vehicle.Vin, type.ToString());
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        vehicle.CurrentUpgrade = cancel;
        try
        {
            JsonObject Progress(PackageFile file, long bytes) =>
                report.Event("DownloadProgress", new() { ["packageId"] = packageId, ["ecuCode"] = file.EcuCode, ["bytesDownloaded"] = bytes, ["totalBytes"] = file.Size });

            if (failure == ErrorType.DownloadFailed || !downloader.FetchesAny(files))
            {
                // Pretended, as before files were served: half of each file, then the rest. A drawn download failure
                // fails here without fetching anything.
                await report.SendAsync([.. files.Select(f => Progress(f, f.Size / 2))], cancel.Token);
                if (failure == ErrorType.DownloadFailed)
                {
                    await report.StatusAsync(UpgradeState.Failed, failure, "E-DL-TIMEOUT", ct);
                    Failed(ErrorType.DownloadFailed);
                    return;
                }
                await report.SendAsync([.. files.Select(f => Progress(f, f.Size)), report.StatusEvent(UpgradeState.Downloaded, null, null)], cancel.Token);
            }
            else
            {
                var problem = await downloader.DownloadAsync(vehicle.Vin, files, random,
                    (file, bytes, token) => report.SendAsync([Progress(file, bytes)], token), cancel.Token);
                if (problem is not null)
                {
                    await report.StatusAsync(UpgradeState.Failed, ErrorType.DownloadFailed, problem.InnerErrorCode, ct);
                    summary.Failure(nameof(ErrorType.DownloadFailed));
                    summary.Outcome(vehicle.Vin, nameof(ErrorType.DownloadFailed));
                    return;
                }
                await report.SendAsync([report.StatusEvent(UpgradeState.Downloaded, null, null)], cancel.Token);
            }

            if (random.NextDouble() < options.CommandRate)
                await report.SendAsync([report.Event("UpgradeCommand", new() { ["command"] = "ScheduleUpgrade", ["scheduledFor"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O") })], cancel.Token);
            if (failure == ErrorType.PrepareUpgradeFailed)
            {
                await report.StatusAsync(UpgradeState.Failed, failure, "E-PRE-BATTERY", ct);
                Failed(ErrorType.PrepareUpgradeFailed);
                return;
            }
            await report.SendAsync([report.StatusEvent(UpgradeState.WaitingForUpgrade, null, null)], cancel.Token);
            cancel.Token.ThrowIfCancellationRequested();

            // From here the vehicle is upgrading: a cancel notice no longer stops it.
            vehicle.CurrentUpgrade = null;
            var upgrade = new JsonArray { report.StatusEvent(UpgradeState.Upgrading, null, null) };
            foreach (var code in files.Select(f => f.EcuCode))
            {
                upgrade.Add(report.Event("UpgradeProgress", new() { ["ecuCode"] = code, ["step"] = "flash", ["percent"] = 50 }));
                upgrade.Add(report.Event("UpgradeProgress", new() { ["ecuCode"] = code, ["step"] = "verify", ["percent"] = 100 }));
            }
            await report.SendAsync(upgrade, ct);
            if (random.NextDouble() < options.CommandRate && files.Count > 0)
            {
                var data = RandomNumberGenerator.GetBytes(64);
                await report.SendAsync([report.Event("EepromClear", new()
                {
                    ["ecuCode"] = files[0].EcuCode, ["result"] = "Cleared", ["data"] = Convert.ToBase64String(data),
                    ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
                })], ct);
            }
            if (failure is { } error)
            {
                if (error == ErrorType.RollbackSucceeded || error == ErrorType.RollbackFailed)
                    await report.SendAsync([report.StatusEvent(UpgradeState.RollingBack, null, null)], ct);
                await report.StatusAsync(UpgradeState.Failed, error, "E-UPG-" + (int)error, ct);
                Failed(error);
                return;
            }
            await report.SendAsync([report.StatusEvent(UpgradeState.Succeeded, null, null, notice.Version)], ct);
            vehicle.FirmwareVersion = notice.Version;
            summary.Success();
            summary.Outcome(vehicle.Vin, "Succeeded");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await report.StatusAsync(UpgradeState.Cancelled, null, null, ct);
            summary.Cancel();
            summary.Outcome(vehicle.Vin, "Cancelled");
        }
        finally
        {
            vehicle.CurrentUpgrade = null;
        }
    }

    private ErrorType PickFailure(Random random) => BadPackage.ErrorTypeAt(options.FailureTypes, random.Next(_failureWeight));

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>Builds and sends one vehicle's events for one notice, checking every answer.</summary>
    private sealed class Report(VehicleApiClient api, SimulationSummary summary, SimulatedVehicle vehicle, NoticeMessage notice, TriggerType trigger)
    {
        public JsonObject Event(string type, JsonObject fields)
        {
            fields["eventId"] = Guid.NewGuid().ToString();
            fields["type"] = type;
            fields["occurredAt"] = DateTimeOffset.UtcNow.ToString("O");
            fields["taskId"] = notice.TaskId;
            fields["messageId"] = notice.MessageId;
            return fields;
        }

        public JsonObject StatusEvent(UpgradeState state, ErrorType? error, string? innerCode, string? version = null)
        {
            var fields = new JsonObject { ["state"] = state.ToString(), ["triggerType"] = trigger.ToString() };
            if (error is not null) fields["errorType"] = error.ToString();
            if (innerCode is not null) fields["innerErrorCode"] = innerCode;
            if (version is not null) fields["version"] = version;
            return Event("UpgradeStatus", fields);
        }

        public Task StatusAsync(UpgradeState state, ErrorType? error, string? innerCode, CancellationToken ct) =>
            SendAsync([StatusEvent(state, error, innerCode)], ct);

        public async Task SendAsync(JsonArray events, CancellationToken ct)
        {
            var count = events.Count;
            var answer = await api.EventsAsync(vehicle, events, ct);
            summary.Events(count);
            if (answer.Status != HttpStatusCode.OK)
            {
                summary.ProtocolError($"{vehicle.Vin}: events answered {(int)answer.Status}: {Shorten(answer.Raw)}");
                return;
            }
            var accepted = answer.Body?["accepted"]?.GetValue<int>();
            var rejected = answer.Body?["rejected"]?.AsArray().Count;
            if (accepted != count || rejected != 0)
                summary.ProtocolError($"{vehicle.Vin}: {count} events sent, answer {Shorten(answer.Raw)}");
            else summary.StatusReportsAccepted(events.Count(e => e?["type"]?.GetValue<string>() == "UpgradeStatus"));
        }
    }
}
