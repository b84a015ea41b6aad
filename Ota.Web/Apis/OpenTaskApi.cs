using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Rollouts;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Web.Apis;

/// <summary>The open API for other systems (SPEC §8, §12): verify a VIN list against a task, publish the task, follow and steer its rollout.</summary>
public static class OpenTaskApi
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>A task of source Diagnostic asked for with a key not allowed to (403).</summary>
    public const string CodeDiagnosticNotAllowed = "DIAGNOSTIC_NOT_ALLOWED";

    /// <summary>A 2,000,000-VIN list is about 44 MB of JSON.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public sealed record RejectedVin(string Vin, IReadOnlyList<string> Codes);

    public sealed record VerifyAnswer(int Accepted, IAsyncEnumerable<RejectedVin> Rejected);

    public sealed record PublishAnswer(long TaskId, int Accepted, IAsyncEnumerable<RejectedVin> Rejected);

    public static IEndpointRouteBuilder MapOpenTaskApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ota/open/api/task")
            .WithTags("Open API")
            .RequireRateLimiting(RateLimitPolicies.ApiKey)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AddEndpointFilter(RequireApiKey);
        group.MapPost("/verify", VerifyAsync).WithName("VerifyTask");
        group.MapPost("/publish", PublishAsync).WithName("PublishTask");
        group.MapGet("/{id:long}", GetAsync).WithName("GetTask");
        group.MapPost("/{id:long}/pause", (long id, HttpContext http, RolloutActions actions) =>
            ActAsync(http, () => actions.PauseAsync(id, CallerName(http), http.RequestAborted))).WithName("PauseTask");
        group.MapPost("/{id:long}/resume", (long id, HttpContext http, RolloutActions actions) =>
            ActAsync(http, () => actions.ResumeAsync(id, CallerName(http), http.RequestAborted))).WithName("ResumeTask");
        group.MapPost("/{id:long}/approve", (long id, HttpContext http, RolloutActions actions) =>
            ActAsync(http, () => actions.ApproveAsync(id, CallerName(http), http.RequestAborted))).WithName("ApproveTask");
        group.MapPost("/{id:long}/stop", (long id, HttpContext http, RolloutActions actions) =>
            ActAsync(http, () => actions.StopAsync(id, CallerName(http), http.RequestAborted))).WithName("StopTask");
        return app;
    }

    internal static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers[ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(presented))
            return ApiProblems.Problem(401, "API_KEY_MISSING", $"Send an API key in the {ApiKeyHeader} header.");
        var caller = await http.RequestServices.GetRequiredService<ApiKeyStore>().AuthenticateAsync(presented, http.RequestAborted);
        if (caller is null) return ApiProblems.Problem(401, "API_KEY_INVALID", "The API key is not known or has been revoked.");
        http.Items[typeof(ApiKeyStore.Caller)] = caller;
        return await next(context);
    }

    internal static string CallerName(HttpContext http) => $"api:{((ApiKeyStore.Caller)http.Items[typeof(ApiKeyStore.Caller)]!).Name}";

    /// <summary>The task's state, counts, rollout groups and pause (SPEC §12).</summary>
    private static async Task<Results<Ok<TaskProgressView>, ProblemHttpResult>> GetAsync(long id, RolloutQueries queries, HttpContext http) =>
        await queries.GetAsync(id, http.RequestAborted) is { } task ? TypedResults.Ok(task) : TaskNotFound(id);

    private static async Task<Results<Ok<TaskProgressView>, ProblemHttpResult>> ActAsync(HttpContext http, Func<Task<TaskProgressView>> action)
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
        ApiProblems.Problem(413, "PAYLOAD_TOO_LARGE", $"The body is larger than {MaxBodyBytes / 1024 / 1024} MiB; split the list into several tasks.");

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
                return ApiProblems.BadRequest("SERIES_MODEL_UNKNOWN", $"There is no series-model with code '{request.SeriesModel}'.");

            var caller = (ApiKeyStore.Caller)http.Items[typeof(ApiKeyStore.Caller)]!;
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
