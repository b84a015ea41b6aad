namespace Ota.Domain.Vehicles.Ddi;

/// <summary>hawkBit's <c>status.execution</c> values (DDI v1), plus <c>downloading</c>, which SPEC §14 names for <c>download</c>.</summary>
public enum DdiExecution { Closed, Proceeding, Canceled, Scheduled, Rejected, Resumed, Downloaded, Download }

/// <summary>hawkBit's <c>status.result.finished</c> values.</summary>
public enum DdiFinished { Success, Failure, None }

/// <summary>Which of an action's two feedback resources a device posted to.</summary>
public enum DdiFeedbackTarget { Deployment, Cancel }

/// <summary>One feedback of a DDI device on an action, as parsed (hawkBit's <c>DdiActionFeedback</c>).</summary>
/// <param name="ProgressCount"><c>status.result.progress.cnt</c>, when sent.</param>
/// <param name="ProgressOf"><c>status.result.progress.of</c>, when sent (SWUpdate sends 0, and counts past it).</param>
/// <param name="Code"><c>status.code</c>, a device's own status code.</param>
public sealed record DdiFeedback(
    DdiExecution Execution, DdiFinished Finished, int? ProgressCount, int? ProgressOf, int? Code, IReadOnlyList<string> Details);
