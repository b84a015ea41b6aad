namespace Ota.Bench;

/// <summary>What a benchmark gets: the running app's services and address, its arguments, and where to print.</summary>
public sealed record BenchmarkContext(IServiceProvider Services, string BaseUrl, IReadOnlyList<string> Args, TextWriter Out)
{
    /// <summary>The value after <paramref name="flag"/> as a whole number, or the default.</summary>
    public int IntArg(string flag, int defaultValue)
    {
        var i = Args.ToList().IndexOf(flag);
        return i >= 0 && i + 1 < Args.Count && int.TryParse(Args[i + 1].Replace("_", ""), out var n) ? n : defaultValue;
    }

    /// <summary>The value after <paramref name="flag"/> as a number (invariant culture), or the default.</summary>
    public double DoubleArg(string flag, double defaultValue)
    {
        var i = Args.ToList().IndexOf(flag);
        return i >= 0 && i + 1 < Args.Count && double.TryParse(Args[i + 1], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var x) ? x : defaultValue;
    }

    /// <summary>A line of the form `RESULT name=value unit`, the last lines every benchmark prints (SPEC §11).</summary>
    public void Result(string name, double value, string unit) =>
        Out.WriteLine(FormattableString.Invariant($"RESULT {name}={value:0.##} {unit}"));
}

/// <summary>A benchmark run by `./ota bench NAME`; it prints its figures and ends with RESULT lines.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Usage { get; }

    /// <summary>Whether the benchmark needs the serving app (web, jobs, broker) started around it.</summary>
    bool NeedsRunningApp { get; }

    /// <summary>Settings of the app hosted for the benchmark over its configuration (raised rate limits…), from the benchmark's arguments.</summary>
    IReadOnlyDictionary<string, string?> AppSettings(IReadOnlyList<string> args) => new Dictionary<string, string?>();

    Task<int> RunAsync(BenchmarkContext context, CancellationToken ct);
}
