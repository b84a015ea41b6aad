using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Ota.Domain;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Web.Apis.Management;

/// <summary>
/// The management API's task calls (SPEC §16), beside the open API's verify, publish and §12 actions: the task list, a
/// task's VINs by cursor, cancelling a task or VINs, its priority, its validation run. Every call needs a scoped key.
/// </summary>
public static class TaskManagementApi
{
    public const string CodeStateUnknown = "TASK_STATE_UNKNOWN";
    public const string CodeVinStateUnknown = "TASK_VIN_STATE_UNKNOWN";
    public const string CodeSortUnknown = "SORT_UNKNOWN";
    public const string CodeCursorInvalid = "CURSOR_INVALID";
    public const string CodeValidationRunNotFound = "VALIDATION_RUN_NOT_FOUND";

    /// <summary>The most VINs one cancel call names.</summary>
    public const int MaxCancelVins = 100_000;

    public const int DefaultVinPage = 100;

    public sealed record TaskListItem(long TaskId, string Name, string Type, string Source, string SeriesModel, string TargetVersion, string State,
        int Priority, DateTime? ScheduledAt, DateTime CreatedAt, string CreatedBy);

    public sealed record TaskListAnswer(IReadOnlyList<TaskListItem> Items, long Total, int Page, int PageSize);

    /// <summary>The vehicle's latest status report, whichever task it was for.</summary>
    public sealed record LastStatus(string State, string? ErrorType, long? TaskId, DateTime ReportedAt);

    public sealed record TaskVinItem(string Vin, string State, IReadOnlyList<string> VerdictCodes, string? MessageId, DateTime? NotifiedAt,
        LastStatus? LastStatus);

    public sealed record TaskVinPage(IReadOnlyList<TaskVinItem> Items, string? Next);

    public sealed record CancelVinsBody(IReadOnlyList<string> Vins);

    public sealed record PriorityBody(int Priority);

    public sealed record PriorityAnswer(long TaskId, int Priority);

    public sealed record ValidationAnswer(long RunId, long? TaskId, string Status, bool Finished, int TotalEntries, int DistinctVins, int VinsDone,
        int Accepted, int Rejected, IReadOnlyDictionary<string, int> RejectedByCode, IReadOnlyList<string> TaskCodes, string? TaskDetails, string? Error);

    /// <summary>The sort keys of the task list, by their API names, and the list column each sorts.</summary>
    private static readonly Dictionary<string, string> SortKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["taskId"] = nameof(TaskRow.Id), ["name"] = nameof(TaskRow.Name), ["type"] = nameof(TaskRow.Type), ["source"] = nameof(TaskRow.Source),
        ["seriesModel"] = nameof(TaskRow.SeriesModel), ["targetVersion"] = nameof(TaskRow.TargetVersion), ["state"] = nameof(TaskRow.Status),
        ["priority"] = nameof(TaskRow.Priority), ["scheduledAt"] = nameof(TaskRow.ScheduledAt), ["createdAt"] = nameof(TaskRow.CreatedAt),
        ["createdBy"] = nameof(TaskRow.CreatedBy),
    };

    public static IEndpointRouteBuilder MapTaskManagementApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/ota/open/api").WithTags("Management API").LimitedBy(RateLimitPolicies.ApiKey);
        api.MapGet("/tasks", ListAsync).WithName("ListTasks").RequireApiKey(ApiScopes.TasksRead)
            .Problems(400, OpenTaskRequest.CodeFieldInvalid, OpenTaskRequest.CodeTypeUnknown, CodeStateUnknown, OpenTaskApi.CodeSeriesModelUnknown,
                CodeSortUnknown);
        api.MapGet("/task/{id:long}/vins", VinsAsync).WithName("ListTaskVins").RequireApiKey(ApiScopes.TasksRead)
            .Problems(400, OpenTaskRequest.CodeFieldInvalid, CodeVinStateUnknown, CodeCursorInvalid).Problems(404, TaskActionException.TaskNotFound);
        api.MapPost("/task/{id:long}/cancel", CancelTaskAsync).WithName("CancelTask").RequireApiKey(ApiScopes.TasksWrite)
            .Problems(404, TaskActionException.TaskNotFound).Problems(409, TaskActionException.TaskStateConflict);
        api.MapPost("/task/{id:long}/vins/cancel", CancelVinsAsync).WithName("CancelTaskVins").RequireApiKey(ApiScopes.TasksWrite)
            .DocumentsBody<CancelVinsBody>("application/json")
            .Problems(400, OpenTaskRequest.CodeMalformedJson, OpenTaskRequest.CodeFieldMissing, OpenTaskRequest.CodeFieldInvalid)
            .Problems(404, TaskActionException.TaskNotFound);
        api.MapPut("/task/{id:long}/priority", SetPriorityAsync).WithName("SetTaskPriority").RequireApiKey(ApiScopes.TasksWrite)
            .DocumentsBody<PriorityBody>("application/json")
            .Problems(400, OpenTaskRequest.CodeMalformedJson, OpenTaskRequest.CodeFieldMissing, OpenTaskRequest.CodeFieldInvalid,
                TaskActionException.PriorityInvalid)
            .Problems(404, TaskActionException.TaskNotFound).Problems(409, TaskActionException.TaskStateConflict);
        api.MapGet("/task/{id:long}/validation", ValidationAsync).WithName("GetTaskValidation").RequireApiKey(ApiScopes.TasksRead)
            .Problems(404, TaskActionException.TaskNotFound, CodeValidationRunNotFound);
        return app;
    }

    private static async Task<Results<Ok<TaskListAnswer>, ProblemHttpResult>> ListAsync(HttpContext http, TaskQueries queries, TaskFactsReader facts,
        string? type, string? state, string? seriesModel, string? name, string? sort, string? order, string? page, string? pageSize)
    {
        TaskType? typeFilter = null;
        if (type is not null)
        {
            if (!OpenTaskRequest.TryEnum<TaskType>(type, out var t))
                return ApiProblems.BadRequest(OpenTaskRequest.CodeTypeUnknown, $"'type' must be one of {string.Join(", ", Enum.GetNames<TaskType>())}.");
            typeFilter = t;
        }
        UpgradeTaskStatus? stateFilter = null;
        if (state is not null)
        {
            if (!OpenTaskRequest.TryEnum<UpgradeTaskStatus>(state, out var s))
                return ApiProblems.BadRequest(CodeStateUnknown, $"'state' must be one of {string.Join(", ", Enum.GetNames<UpgradeTaskStatus>())}.");
            stateFilter = s;
        }
        long? seriesModelId = null;
        if (!string.IsNullOrWhiteSpace(seriesModel))
        {
            seriesModelId = await facts.SeriesModelIdAsync(seriesModel.Trim(), http.RequestAborted);
            if (seriesModelId is null)
                return ApiProblems.BadRequest(OpenTaskApi.CodeSeriesModelUnknown, $"There is no series-model with code '{seriesModel}'.");
        }
        string? sortColumn = null;
        if (sort is not null && !SortKeys.TryGetValue(sort, out sortColumn))
            return ApiProblems.BadRequest(CodeSortUnknown, $"'sort' must be one of {string.Join(", ", SortKeys.Keys)}.");
        if (order is not null && order is not ("asc" or "desc"))
            return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldInvalid, "'order' must be asc or desc.");
        if (!TryInt(page, 0, 0, int.MaxValue / PageQuery.MaxPageSize, out var pageNumber))
            return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldInvalid, "'page' must be a whole number from 0 (the first page).");
        if (!TryInt(pageSize, 25, 1, PageQuery.MaxPageSize, out var size))
            return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldInvalid, $"'pageSize' must be a whole number from 1 to {PageQuery.MaxPageSize}.");

        var query = new PageQuery(pageNumber, size, sortColumn, order == "desc");
        var result = await queries.ListAsync(new TaskFilter(typeFilter, stateFilter, seriesModelId, name), query, http.RequestAborted);
        return TypedResults.Ok(new TaskListAnswer(
            [.. result.Items.Select(t => new TaskListItem(t.Id, t.Name, t.Type.ToString(), t.Source.ToString(), t.SeriesModel, t.TargetVersion,
                t.Status.ToString(), t.Priority, t.ScheduledAt, t.CreatedAt, t.CreatedBy))],
            result.Total, pageNumber, size));
    }

    /// <summary><c>GET /ota/open/api/task/{id}/vins?state=&amp;limit=&amp;cursor=</c>: a page in VIN order and the cursor of the next, or null at the end.</summary>
    private static async Task<Results<Ok<TaskVinPage>, ProblemHttpResult>> VinsAsync(long id, HttpContext http, TaskQueries queries,
        string? state, string? limit, string? cursor)
    {
        TaskVinState? stateFilter = null;
        if (state is not null)
        {
            if (!OpenTaskRequest.TryEnum<TaskVinState>(state, out var s))
                return ApiProblems.BadRequest(CodeVinStateUnknown, $"'state' must be one of {string.Join(", ", Enum.GetNames<TaskVinState>())}.");
            stateFilter = s;
        }
        if (!TryInt(limit, DefaultVinPage, 1, TaskQueries.MaxVinPage, out var take))
            return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldInvalid, $"'limit' must be a whole number from 1 to {TaskQueries.MaxVinPage}.");
        string? after = null;
        if (cursor is not null)
        {
            if (!VinCursor.TryDecode(cursor, out var last))
                return ApiProblems.BadRequest(CodeCursorInvalid, "'cursor' is not a cursor this API gave: pass the 'next' of the previous page as it was.");
            after = last;
        }
        if (!await queries.ExistsAsync(id, http.RequestAborted)) return TaskNotFound(id);
        var (rows, more) = await queries.VinPageAsync(id, stateFilter, take, after, http.RequestAborted);
        var items = rows.Select(r => new TaskVinItem(r.Vin, r.State.ToString(),
            (r.VerdictCodes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), r.MessageId, r.NotifiedAt,
            r.LastState is { } last ? new LastStatus(last.ToString(), r.LastError?.ToString(), r.LastTaskId, r.LastReportedAt!.Value) : null)).ToList();
        return TypedResults.Ok(new TaskVinPage(items, more ? VinCursor.Encode(items[^1].Vin) : null));
    }

    private static Task<Results<Ok<CancellationResult>, ProblemHttpResult>> CancelTaskAsync(long id, HttpContext http, TaskOperations operations) =>
        ActAsync(() => operations.CancelTaskAsync(id, ApiKeyAuth.CallerName(http), "cancelled through the management API", http.RequestAborted));

    private static async Task<Results<Ok<CancellationResult>, ProblemHttpResult>> CancelVinsAsync(long id, HttpContext http, TaskOperations operations)
    {
        var (body, problem) = await ReadBodyAsync(http);
        if (problem is not null) return problem;
        using (body)
        {
            var root = body!.RootElement;
            if (!root.TryGetProperty("vins", out var vins) || vins.ValueKind == JsonValueKind.Null)
                return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldMissing, "'vins' (an array of the VINs to cancel) is required.");
            if (vins.ValueKind != JsonValueKind.Array || vins.GetArrayLength() is 0 or > MaxCancelVins
                || vins.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldInvalid, $"'vins' must be an array of 1 to {MaxCancelVins:N0} strings.");
            var list = vins.EnumerateArray().Select(v => v.GetString()!).ToList();
            return await ActAsync(() => operations.CancelVinsAsync(id, list, ApiKeyAuth.CallerName(http), "cancelled through the management API",
                http.RequestAborted));
        }
    }

    private static async Task<Results<Ok<PriorityAnswer>, ProblemHttpResult>> SetPriorityAsync(long id, HttpContext http, TaskOperations operations)
    {
        var (body, problem) = await ReadBodyAsync(http);
        if (problem is not null) return problem;
        using (body)
        {
            var root = body!.RootElement;
            if (!root.TryGetProperty("priority", out var element) || element.ValueKind == JsonValueKind.Null)
                return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldMissing, "'priority' is required.");
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var priority))
                return ApiProblems.BadRequest(OpenTaskRequest.CodeFieldInvalid, "'priority' must be a whole number.");
            return await ActAsync(async () =>
            {
                await operations.SetPriorityAsync(id, priority, ApiKeyAuth.CallerName(http), http.RequestAborted);
                return new PriorityAnswer(id, priority);
            });
        }
    }

    private static async Task<Results<Ok<ValidationAnswer>, ProblemHttpResult>> ValidationAsync(long id, HttpContext http, TaskQueries queries,
        TaskValidationService validation)
    {
        var task = await queries.GetAsync(id, http.RequestAborted);
        if (task is null) return TaskNotFound(id);
        if (task.ValidationRunId is not { } runId)
            return ApiProblems.Problem(404, CodeValidationRunNotFound, $"Task {id} has no validation run.");
        var p = await validation.GetProgressAsync(runId, http.RequestAborted);
        return TypedResults.Ok(new ValidationAnswer(p.RunId, p.TaskId, p.Status.ToString(), p.IsFinished, p.TotalEntries, p.DistinctVins, p.VinsDone,
            p.Accepted, p.Rejected, p.RejectedByReason, p.TaskCodes, p.TaskDetails, p.Error));
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> ActAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return TypedResults.Ok(await action());
        }
        catch (TaskActionException e)
        {
            return ApiProblems.Problem(e.Code switch
            {
                TaskActionException.TaskNotFound => 404,
                TaskActionException.PriorityInvalid => 400,
                _ => 409,
            }, e.Code, e.Message);
        }
    }

    /// <summary>A small JSON object body, or the 400 that says why it is not one.</summary>
    private static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadBodyAsync(HttpContext http)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 8 }, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest(OpenTaskRequest.CodeMalformedJson, $"The body is not valid JSON: {ex.Message.Split(" Path:")[0]}"));
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object) return (document, null);
        document.Dispose();
        return (null, ApiProblems.BadRequest(OpenTaskRequest.CodeMalformedJson, "The body must be a JSON object."));
    }

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (text is null) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static ProblemHttpResult TaskNotFound(long id) => ApiProblems.Problem(404, TaskActionException.TaskNotFound, $"Task {id} does not exist.");
}
