namespace Ota.Domain.Tasks.Validation;

/// <summary>A task-level failure: a reason code and words an operator can act on (which package, which strategy and ECUs).</summary>
public readonly record struct TaskFailure(string Code, string Detail);

/// <summary>The outcome of the task-level phases: every failure that applies, in phase order; the first is "the" code.</summary>
public sealed class TaskVerdict
{
    public static TaskVerdict Valid { get; } = new([]);

    private TaskVerdict(TaskFailure[] failures) => Failures = failures;

    public IReadOnlyList<TaskFailure> Failures { get; }

    public bool IsValid => Failures.Count == 0;

    /// <summary>The code reported alone where only one fits (problem+json <c>code</c>); null when valid.</summary>
    public string? Code => IsValid ? null : Failures[0].Code;

    /// <summary>Every code, in order (problem+json <c>codes</c>).</summary>
    public IReadOnlyList<string> Codes => Failures.Select(f => f.Code).ToArray();

    public string? DetailOf(string code)
    {
        foreach (var failure in Failures)
            if (failure.Code == code) return failure.Detail;
        return null;
    }

    internal static TaskVerdict Of(List<TaskFailure> failures) => failures.Count == 0 ? Valid : new(failures.ToArray());

    /// <summary>Joins phase verdicts in the order given.</summary>
    public static TaskVerdict Combine(params TaskVerdict[] verdicts)
    {
        var failures = new List<TaskFailure>();
        foreach (var verdict in verdicts) failures.AddRange(verdict.Failures);
        return Of(failures);
    }

    public override string ToString() => IsValid ? "valid" : string.Join(", ", Failures.Select(f => $"{f.Code}: {f.Detail}"));
}
