namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>A bad row of an import file: the row (header = row 1, or a JSON path for the catalog), the column and why.</summary>
public sealed record ImportProblem(string Row, string Column, string Reason)
{
    public override string ToString() => $"{Row}, {Column}: {Reason}";
}

/// <summary>What an import did, or why it wrote nothing.</summary>
public sealed class ImportReport
{
    public const int MaxProblemsKept = 10_000;

    private readonly List<ImportProblem> _problems = [];

    public IReadOnlyList<ImportProblem> Problems => _problems;

    /// <summary>Problems beyond <see cref="MaxProblemsKept"/> are counted, not kept.</summary>
    public int ProblemCount { get; private set; }

    public bool Succeeded => ProblemCount == 0;

    public int RowsRead { get; set; }

    /// <summary>Rows written, by kind ("vehicles inserted", "packages updated", …).</summary>
    public SortedDictionary<string, int> Written { get; } = new(StringComparer.Ordinal);

    public void Problem(string row, string column, string reason)
    {
        ProblemCount++;
        if (_problems.Count < MaxProblemsKept) _problems.Add(new ImportProblem(row, column, reason));
    }

    public void Problem(int row, string column, string reason) => Problem($"row {row}", column, reason);

    public void Count(string what, int n = 1)
    {
        Written.TryGetValue(what, out var current);
        Written[what] = current + n;
    }
}
