using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Ota.Domain;
using Ota.Domain.Operations;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Rollouts;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Web.Apis;

/// <summary>The open API for other systems (SPEC §8, §12): verify a VIN list against a task, publish the task, follow and steer its rollout.</summary>
public static class OpenTaskApi
{
    /// <summary>A task of source Diagnostic asked for with a key not allowed to (403).</summary>
    public const string CodeDiagnosticNotAllowed = "DIAGNOSTIC_NOT_ALLOWED";

    /// <summary>A 2,000,000-VIN list is about 44 MB of JSON.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public sealed record RejectedVin(string Vin, IReadOnlyList<string> Codes);

    public sealed record VerifyAnswer(int Accepted, IAsyncEnumerable<RejectedVin> Rejected);

    public sealed record PublishAnswer(long TaskId, int Accepted, IAsyncEnumerable<RejectedVin> Rejected);

    /// <summary>The 400 codes of a verify or publish body.</summary>
    private static readonly string[] BodyCodes =
    [
        OpenTaskRequest.CodeMalformedJson, OpenTaskRequest.CodeFieldMissing, OpenTaskRequest.CodeFieldInvalid, OpenTaskRequest.CodeTypeUnknown,
        OpenTaskRequest.CodeSourceUnknown, CodeSeriesModelUnknown, RolloutPlanException.Invalid, RolloutPlanException.VinNotInTask,
    ];

    public const string CodeSeriesModelUnknown = "SERIES_MODEL_UNKNOWN";

    public static IEndpointRouteBuilder MapOpenTaskApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ota/open/api/task")
            .WithTags("Open API")
            .LimitedBy(RateLimitPolicies.ApiKey)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapPost("/verify", VerifyAsync).WithName("VerifyTask").RequireApiKey(ApiScopes.TasksWrite)
            .DocumentsBody<OpenTaskRequestBody>("application/json")
            .Problems(400, BodyCodes).Problems(403, CodeDiagnosticNotAllowed).Problems(413, CodePayloadTooLarge).Problems(422, TaskCodes);
        group.MapPost("/publish", PublishAsync).WithName("PublishTask").RequireApiKey(ApiScopes.TasksWrite)
            .DocumentsBody<OpenTaskRequestBody>("application/json")
            .Problems(400, BodyCodes).Problems(403, CodeDiagnosticNotAllowed).Problems(413, CodePayloadTooLarge).Problems(422, TaskCodes);
        group.MapGet("/{id:long}", GetAsync).WithName("GetTask").RequireApiKey(ApiScopes.TasksRead)
            .Problems(404, TaskActionException.TaskNotFound);
        MapAction(group, "pause", "PauseTask", (actions, id, user, ct) => actions.PauseAsync(id, user, ct));
        MapAction(group, "resume", "ResumeTask", (actions, id, user, ct) => actions.ResumeAsync(id, user, ct));
        MapAction(group, "approve", "ApproveTask", (actions, id, user, ct) => actions.ApproveAsync(id, user, ct));
        MapAction(group, "stop", "StopTask", (actions, id, user, ct) => actions.StopAsync(id, user, ct));
        return app;
    }

    /// <summary>A §12 operator action: answers the task as GET does, 409 when it does not apply.</summary>
    private static void MapAction(RouteGroupBuilder group, string action, string name,
        Func<RolloutActions, long, string, CancellationToken, Task<TaskProgressView>> act) =>
        group.MapPost($"/{{id:long}}/{action}", (long id, HttpContext http, RolloutActions actions) =>
                ActAsync(() => act(actions, id, ApiKeyAuth.CallerName(http), http.RequestAborted)))
            .WithName(name).RequireApiKey(ApiScopes.TasksWrite)
            .Problems(404, TaskActionException.TaskNotFound).Problems(409, TaskActionException.TaskStateConflict);

    public const string CodePayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>The task-level codes a verify or publish can answer 422 with (SPEC §3), and a validation that did not complete.</summary>
    private static readonly string[] TaskCodes = [.. ReasonCodes.TaskLevel, "VALIDATION_FAILED"];

    /// <summary>The task's state, counts, rollout groups and pause (SPEC §12).</summary>
    private static async Task<Results<Ok<TaskProgressView>, ProblemHttpResult>> GetAsync(long id, RolloutQueries queries, HttpContext http) =>
        await queries.GetAsync(id, http.RequestAborted) is { } task ? TypedResults.Ok(task) : TaskNotFound(id);

    private static async Task<Results<Ok<TaskProgressView>, ProblemHttpResult>> ActAsync(Func<Task<TaskProgressView>> action)
    {
        try
        {
            return TypedResults.Ok(await action());
        }
        catch (TaskActionException e)
        {
            return ApiProblems.Problem(e.Code == TaskActionException.TaskNotFound ? 404 : 409, e.Code, e.Message);
        }
    }

    private static ProblemHttpResult TaskNotFound(long id) => ApiProblems.Problem(404, TaskActionException.TaskNotFound, $"Task {id} does not exist.");

    private static Task<Results<Ok<VerifyAnswer>, ProblemHttpResult>> VerifyAsync(HttpContext http, TaskValidationService validation,
        TaskFactsReader facts) =>
        HandleAsync(http, validation, facts, publish: false, progress => TypedResults.Ok(new VerifyAnswer(progress.Accepted, Rejected(validation, progress.RunId, http))));

    private static Task<Results<Ok<PublishAnswer>, ProblemHttpResult>> PublishAsync(HttpContext http, TaskValidationService validation,
        TaskFactsReader facts) =>
        HandleAsync(http, validation, facts, publish: true, progress =>
            TypedResults.Ok(new PublishAnswer(progress.TaskId!.Value, progress.Accepted, Rejected(validation, progress.RunId, http))));

    private static ProblemHttpResult TooLarge() =>
        ApiProblems.Problem(413, CodePayloadTooLarge, $"The body is larger than {MaxBodyBytes / 1024 / 1024} MiB; split the list into several tasks.");

    private static async Task<Results<Ok<T>, ProblemHttpResult>> HandleAsync<T>(HttpContext http, TaskValidationService validation,
        TaskFactsReader facts, bool publish, Func<ValidationProgress, Ok<T>> answer)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return TooLarge();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return ApiProblems.BadRequest(OpenTaskRequest.CodeMalformedJson, $"The body is not valid JSON: {ex.Message.Split(" Path:")[0]}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        using (document)
        {
            var (request, code, detail) = OpenTaskRequest.Parse(document.RootElement, nameRequired: publish);
            if (request is null) return ApiProblems.BadRequest(code!, detail!);

            var seriesModelId = await facts.SeriesModelIdAsync(request.SeriesModel, http.RequestAborted);
            if (seriesModelId is null)
                return ApiProblems.BadRequest(CodeSeriesModelUnknown, $"There is no series-model with code '{request.SeriesModel}'.");

            var caller = ApiKeyAuth.Caller(http);
            // The Diagnostic source skips the blacklist and the usage, firmware and same-version rules: the after-sales tool's keys only.
            if (request.Source == Ota.Domain.TaskSource.Diagnostic && !caller.AllowsDiagnostic)
                return ApiProblems.Problem(403, CodeDiagnosticNotAllowed,
                    $"The key '{caller.Name}' may not create Diagnostic tasks, which skip the blacklist and the usage, firmware and same-version rules; " +
                    "an administrator gives that to the after-sales tool's key (./ota apikey create NAME --diagnostic).");
            var validationRequest = new ValidationRequest(request.Type, request.Source, seriesModelId.Value, request.TargetVersion, $"api:{caller.Name}")
            {
                Task = publish ? new TaskSpec(request.Name!, request.Priority, request.ScheduledAt, request.Rollout) : null,
                PublishWhenDone = publish,
            };
            var progress = await validation.ValidateNowAsync(validationRequest, request.Vins, http.RequestAborted);
            return progress.Status switch
            {
                ValidationRunStatus.Completed => answer(progress),
                ValidationRunStatus.Rejected => ApiProblems.Problem(422, progress.TaskCodes[0],
                    progress.TaskDetails ?? "The task cannot be created.", progress.TaskCodes),
                _ => ApiProblems.Problem(422, "VALIDATION_FAILED", progress.Error ?? "Validation did not complete."),
            };
        }
    }

    private static async IAsyncEnumerable<RejectedVin> Rejected(TaskValidationService validation, long runId, HttpContext http)
    {
        await foreach (var (entry, codes) in validation.ReadRejectionsAsync(runId, http.RequestAborted))
            yield return new RejectedVin(entry, codes);
    }
}
