using System.Diagnostics;
using Ota.Simulator;

if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(SimulatorOptions.Usage);
    return 0;
}
SimulatorOptions options;
try
{
    options = SimulatorOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(SimulatorOptions.Usage);
    return 2;
}
if (!File.Exists(options.VehiclesFile))
{
    Console.Error.WriteLine($"error: no vehicles file at {options.VehiclesFile} (run ./ota run or ./ota demo first, or pass --vehicles-file)");
    return 2;
}

var fleet = FleetFile.Read(options.VehiclesFile);
if (options.Ddi && !fleet.Values.Any(v => v.DdiToken is not null))
{
    Console.Error.WriteLine($"error: no vehicle of {options.VehiclesFile} has a DDI token (a ddiToken column; ./ota vehicle ddi-token VIN issues one)");
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
if (options.UntilInputEnds)
{
    // Ends as Ctrl+C does: the summary of what happened so far is printed.
    _ = Task.Run(async () =>
    {
        await Console.In.ReadToEndAsync();
        cancel.Cancel();
    });
}
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = options.ApiUrl,
    Timeout = TimeSpan.FromSeconds(30),
};
// Package files: no overall timeout (a file may take minutes; the downloader times out stalls), and a cut transfer
// closes its connection rather than reading the rest of the file to reuse it.
using var files = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxResponseDrainSize = 0,
})
{
    Timeout = Timeout.InfiniteTimeSpan,
};
if (options.Ddi)
{
    Console.WriteLine($"simulating {fleet.Values.Count(v => v.DdiToken is not null):N0} DDI devices against {options.ApiUrl}{options.DdiTenant}/controller/v1 " +
                      $"(polling {(options.PollInterval is { } every ? $"every {every.TotalSeconds:0.###} s" : "as the server says")}, " +
                      $"failure rate {options.FailureRate:P0}, {options.Concurrency} at once, downloads {options.Downloads.ToString().ToLowerInvariant()}) …");
}
else
{
    Console.WriteLine($"simulating {fleet.Count:N0} vehicles against {options.ApiUrl} and mqtt://{options.MqttHost}:{options.MqttPort} " +
                  $"(failure rate {options.FailureRate:P0}{(options.FailShare > 0 ? $", {options.FailShare:P0} fail version {options.FailVersion}" : "")}, " +
                  $"{options.Concurrency} at once, downloads {options.Downloads.ToString().ToLowerInvariant()}" +
                  $"{(options.CutRate > 0 ? $", {options.CutRate:P0} of transfers cut" : "")}) …");
}
var clock = Stopwatch.StartNew();
var summary = options.Ddi
    ? await new DdiFleetSimulation(options, fleet, http, files).RunAsync(cancel.Token)
    : await new FleetSimulation(options, fleet, http, files).RunAsync(cancel.Token);
summary.Print(Console.Out, clock.Elapsed);
if (options.Json) Console.WriteLine(summary.ToJson());
return summary.ProtocolErrors == 0 ? 0 : 1;
