using System.Diagnostics.CodeAnalysis;
using Ota.Domain.Events.Reports;

namespace Ota.Web.Apis.Vehicles;

/// <summary>A problem with the request as a whole: answered 400, nothing stored.</summary>
public sealed record EventReportRequestError(string Code, string Detail);

/// <summary>Either a report or a request-level error.</summary>
public sealed record EventReportParseResult
{
    private EventReportParseResult(EventReport? report, EventReportRequestError? error) => (Report, Error) = (report, error);

    public EventReport? Report { get; }
    public EventReportRequestError? Error { get; }

    [MemberNotNullWhen(true, nameof(Report))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Report is not null;

    public static EventReportParseResult Success(EventReport report) => new(report, null);

    public static EventReportParseResult Failure(string code, string detail) => new(null, new EventReportRequestError(code, detail));
}
