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
