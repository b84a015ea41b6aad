using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ota.Domain;

namespace Ota.Simulator;

/// <summary>What a DDI poll told a device: how long to sleep, and the one action link it offered, if any.</summary>
internal sealed record DdiPoll(TimeSpan Sleep, string? CancelAction, string? DeploymentBase, string? ConfigData)
{
    public bool HasWork => CancelAction is not null || DeploymentBase is not null || ConfigData is not null;
}

/// <summary>
/// One DDI device (SPEC §14) as SWUpdate's suricatta behaves: polls, follows <c>cancelAction</c> (acknowledged with
/// <c>closed</c> + <c>success</c> on its feedback) before <c>deploymentBase</c> (fetched, checked, every artifact
/// downloaded with the device's token, its size and SHA-256 checked, with <c>proceeding</c>, <c>downloaded</c> and
/// <c>closed</c> feedback), and sends its attributes when asked (<c>configData</c>). Failures as the options say: a
/// DownloadFailed before <c>downloaded</c>, any other error type after it (the server reads that as UpgradeFailed).
/// Every answer that is not what hawkBit's contract says is a protocol error, except the 404/410 of an action the
/// server withdrew meanwhile (a cancel between the poll and the next call), which is counted apart.
/// </summary>
internal sealed class DdiDeviceBehaviour(DdiClient api, PackageDownloader downloader, SimulatorOptions options, SimulationSummary summary)
{
    /// <summary>The code the product answers a call on an action that is no longer open with (404).</summary>
    private const string ActionNotFound = "DDI_ACTION_NOT_FOUND";

    private readonly int _failureWeight = options.FailureTypes.Sum(f => f.Weight);

    /// <summary>One poll; null when it failed (a protocol error was counted).</summary>
    public async Task<DdiPoll?> PollAsync(SimulatedVehicle device, bool measured, CancellationToken ct)
    {
        var answer = await api.PollAsync(device, ct);
        if (answer.Status != HttpStatusCode.OK)
        {
            summary.ProtocolError($"{device.Vin}: poll answered {(int)answer.Status}: {Shorten(answer.Raw)}");
            return null;
        }
        summary.Poll(answer.Took, measured);
        if (answer.Body?["config"]?["polling"]?["sleep"] is not JsonValue sleepValue || !sleepValue.TryGetValue<string>(out var sleepText)
            || !TimeSpan.TryParseExact(sleepText, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var sleep))
        {
            summary.ProtocolError($"{device.Vin}: poll answer without config.polling.sleep as HH:MM:SS: {Shorten(answer.Raw)}");
            return null;
        }
        var links = answer.Body["_links"] as JsonObject;
        string? Link(string name)
        {
            if (links?[name] is not { } link) return null;
            if (link["href"] is JsonValue v && v.TryGetValue<string>(out var href) && Uri.TryCreate(href, UriKind.Absolute, out var uri) && DownloadPolicy.IsHttp(uri))
                return href;
            summary.ProtocolError($"{device.Vin}: poll link {name} has no absolute http(s) href: {Shorten(answer.Raw)}");
            return null;
        }
        var poll = new DdiPoll(sleep, Link("cancelAction"), Link("deploymentBase"), Link("configData"));
        if (poll.CancelAction is not null && poll.DeploymentBase is not null)
            summary.ProtocolError($"{device.Vin}: poll offers a cancelAction and a deploymentBase at once");
        var offered = poll.CancelAction ?? poll.DeploymentBase;
        if (offered is not null && offered == device.LastDdiAction)
        {
            summary.ProtocolError($"{device.Vin}: poll offers {offered} again after the device closed it");
            return poll with { CancelAction = null, DeploymentBase = null };
        }
        return poll;
    }

    /// <summary>What the poll offered: the cancel first (hawkBit offers only one action, a cancel before anything else), else the deployment.</summary>
    public async Task WorkAsync(SimulatedVehicle device, DdiPoll poll, Random random, CancellationToken ct)
    {
        if (poll.ConfigData is { } configData) await SendAttributesAsync(device, configData, ct);
        if (poll.CancelAction is { } cancel) await CancelAsync(device, cancel, ct);
        else if (poll.DeploymentBase is { } deployment) await DeployAsync(device, deployment, random, ct);
    }

    private async Task SendAttributesAsync(SimulatedVehicle device, string href, CancellationToken ct)
    {
        var answer = await api.PutAsync(device, href, new JsonObject
        {
            ["mode"] = "merge",
            ["data"] = new JsonObject { ["vin"] = device.Vin, ["client"] = "ota-simulator" },
        }, ct);
        if (answer.Status != HttpStatusCode.OK) summary.ProtocolError($"{device.Vin}: configData answered {(int)answer.Status}: {Shorten(answer.Raw)}");
    }

    private async Task CancelAsync(SimulatedVehicle device, string href, CancellationToken ct)
    {
        summary.CancelNotice();
        var id = ActionIdOf(href, "cancelAction");
        var answer = await api.GetAsync(device, href, ct);
        if (answer.Status != HttpStatusCode.OK)
        {
            summary.ProtocolError($"{device.Vin}: cancelAction answered {(int)answer.Status}: {Shorten(answer.Raw)}");
            return;
        }
        if (id is null || Text(answer.Body?["id"]) != id || Text(answer.Body?["cancelAction"]?["stopId"]) != id)
        {
            summary.ProtocolError($"{device.Vin}: cancelAction {href} answered without its id and stopId: {Shorten(answer.Raw)}");
            return;
        }
        // SWUpdate's acknowledgement (hawkBit: "Cancellation confirmed").
        if (await FeedbackAsync(device, href + "/feedback", DdiClient.Feedback("closed", "success", null, "cancellation acknowledged."), ct))
        {
            device.LastDdiAction = href;
            summary.StatusReportsAccepted(1);
            summary.Cancel();
            summary.Outcome(device.Vin, "Cancelled");
        }
    }

    private async Task DeployAsync(SimulatedVehicle device, string href, Random random, CancellationToken ct)
    {
        var answer = await api.GetAsync(device, href, ct);
        if (answer.Status == HttpStatusCode.NotFound && answer.Code == ActionNotFound)
        {
            summary.ActionWithdrawn();
            return;
        }
        if (answer.Status != HttpStatusCode.OK)
        {
            summary.ProtocolError($"{device.Vin}: deploymentBase answered {(int)answer.Status}: {Shorten(answer.Raw)}");
            return;
        }
        summary.Notice();
        summary.Description();
        var (files, problems) = FilesOf(answer.Body, ActionIdOf(href, "deploymentBase"));
        if (problems.Count > 0)
        {
            summary.ProtocolError($"{device.Vin}: deploymentBase: {string.Join("; ", problems.Take(5))}");
            return;
        }

        // Drawn for every device, so a run's draws do not depend on which devices failed before.
        var failure = random.NextDouble() < options.FailureRate ? BadPackage.ErrorTypeAt(options.FailureTypes, random.Next(_failureWeight)) : (ErrorType?)null;
        var feedback = href.Split('?')[0] + "/feedback";
        var chunks = (0, files.Count);
        if (!await FeedbackAsync(device, feedback, DdiClient.Feedback("proceeding", "none", chunks, "simulated device: deployment taken"), ct)) return;

        if (failure == ErrorType.DownloadFailed)
        {
            await FailAsync(device, href, feedback, ErrorType.DownloadFailed, "E-DL-TIMEOUT: simulated download failure", ct);
            return;
        }
        var problem = await downloader.DownloadAsync(device.Vin, files, random, static (_, _, _) => Task.CompletedTask, ct, DdiClient.Authorization(device));
        if (problem is not null)
        {
            await FailAsync(device, href, feedback, ErrorType.DownloadFailed, $"{problem.InnerErrorCode}: {problem.Detail}", ct);
            return;
        }
        if (!await FeedbackAsync(device, feedback, DdiClient.Feedback("downloaded", "none", (files.Count, files.Count), "all artifacts downloaded and checked"), ct))
            return;
        if (failure is { } error)
        {
            // After "downloaded" the server counts any failure as UpgradeFailed.
            await FailAsync(device, href, feedback, ErrorType.UpgradeFailed, $"E-UPG-{(int)error}: simulated {error}", ct);
            return;
        }
        if (await FeedbackAsync(device, feedback, DdiClient.Feedback("closed", "success", (files.Count, files.Count), "simulated install succeeded"), ct))
        {
            device.LastDdiAction = href;
            summary.StatusReportsAccepted(1);
            summary.Success();
            summary.Outcome(device.Vin, "Succeeded");
        }
    }

    private async Task FailAsync(SimulatedVehicle device, string href, string feedback, ErrorType error, string detail, CancellationToken ct)
    {
        if (!await FeedbackAsync(device, feedback, DdiClient.Feedback("closed", "failure", null, detail), ct)) return;
        device.LastDdiAction = href;
        summary.StatusReportsAccepted(1);
        summary.Failure(error.ToString());
        summary.Outcome(device.Vin, error.ToString());
    }

    /// <summary>Posts a feedback: true when it was taken (200); a 410 is an action the server closed meanwhile.</summary>
    private async Task<bool> FeedbackAsync(SimulatedVehicle device, string href, JsonObject body, CancellationToken ct)
    {
        var answer = await api.PostAsync(device, href, body, ct);
        summary.Events(1);
        if (answer.Status == HttpStatusCode.OK) return true;
        if (answer.Status == HttpStatusCode.Gone) summary.ActionWithdrawn();
        else summary.ProtocolError($"{device.Vin}: feedback to {href} answered {(int)answer.Status}: {Shorten(answer.Raw)}");
        return false;
    }

    /// <summary>The artifacts of a deploymentBase answer in chunk order, and what does not hold to hawkBit's shape.</summary>
    internal static (List<PackageFile> Files, List<string> Problems) FilesOf(JsonNode? body, string? actionId)
    {
        var files = new List<PackageFile>();
        var problems = new List<string>();
        if (body is not JsonObject root) return (files, ["the answer is not a JSON object"]);
        if (actionId is null || Text(root["id"]) != actionId) problems.Add($"id {Text(root["id"]) ?? "missing"} is not the action {actionId}");
        var deployment = root["deployment"];
        foreach (var handling in new[] { "download", "update" })
            if (Text(deployment?[handling]) is not ("forced" or "attempt" or "skip")) problems.Add($"deployment.{handling} is not forced, attempt or skip");
        if (deployment?["chunks"] is not JsonArray { Count: > 0 } chunks) return (files, [.. problems, "deployment.chunks is missing or empty"]);
        foreach (var chunk in chunks)
        {
            var part = Text(chunk?["part"]);
            if (part is not { Length: > 0 } || Text(chunk?["version"]) is null || Text(chunk?["name"]) is null)
                problems.Add($"chunk {part ?? "?"}: part, version or name missing");
            if (chunk?["artifacts"] is not JsonArray { Count: > 0 } artifacts)
            {
                problems.Add($"chunk {part}: no artifacts");
                continue;
            }
            foreach (var artifact in artifacts)
            {
                var fileName = Text(artifact?["filename"]);
                var size = artifact?["size"] is JsonValue s && s.TryGetValue<long>(out var n) ? n : -1;
                var sha256 = Text(artifact?["hashes"]?["sha256"]);
                var href = Text(artifact?["_links"]?["download"]?["href"]);
                if (fileName is not { Length: > 0 } || size < 0 || sha256 is not { Length: 64 } || !Uri.TryCreate(href, UriKind.Absolute, out var url))
                {
                    problems.Add($"chunk {part}: an artifact without filename, size, hashes.sha256 or _links.download");
                    continue;
                }
                files.Add(new PackageFile(part!, fileName, size, sha256, url));
            }
        }
        return (files, problems);
    }

    /// <summary>The action id in a link <c>…/{kind}/{id}[?c=…]</c>.</summary>
    private static string? ActionIdOf(string href, string kind)
    {
        var path = new Uri(href).AbsolutePath;
        var at = path.LastIndexOf($"/{kind}/", StringComparison.Ordinal);
        return at < 0 ? null : path[(at + kind.Length + 2)..];
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
