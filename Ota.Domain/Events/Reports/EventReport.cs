using System.Diagnostics.CodeAnalysis;

namespace Ota.Domain.Events.Reports;

/// <summary>A well-formed report: its typed events, the repeats of an event id within it, and the rejected events.</summary>
/// <param name="Vin">The normalised VIN.</param>
public sealed record EventReport(
    string Vin,
    IReadOnlyList<ReportedEvent> Events,
    IReadOnlyList<DuplicateEvent> Duplicates,
    IReadOnlyList<RejectedEvent> Rejected);

/// <summary>An event whose id came earlier in the same request; it changes nothing.</summary>
public sealed record DuplicateEvent(int Index, string EventId);

/// <summary>An event that is not stored, with why (answered in <c>rejected</c>).</summary>
public sealed record RejectedEvent(int Index, string Code, string Detail);

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
