using System.Globalization;
using Ota.Domain;

namespace Ota.Simulator;

/// <summary>How the simulated fleet behaves; every option has a command-line flag (see <see cref="Usage"/>).</summary>
public sealed record SimulatorOptions
{
    public string VehiclesFile { get; init; } = ".data/demo-vehicles.csv";
    public Uri ApiUrl { get; init; } = new("http://127.0.0.1:5080");
    public string MqttHost { get; init; } = "127.0.0.1";
    public int MqttPort { get; init; } = 1883;
    /// <summary>
    /// The fleet listens to every vehicle's notices on one connection, as the broker's monitor identity (SPEC §15): by
    /// default <c>ota-monitor</c> with the password derived from <c>OTA_MASTER_KEY</c> when the environment has it.
    /// </summary>
    public string? MqttUsername { get; init; }
    public string? MqttPassword { get; init; }
    /// <summary>Share of upgrades that fail, 0–1.</summary>
    public double FailureRate { get; init; } = 0.1;
    /// <summary>Error types failures are drawn from, with weights.</summary>
    public IReadOnlyList<(ErrorType Type, int Weight)> FailureTypes { get; init; } =
    [
        (ErrorType.DownloadFailed, 3), (ErrorType.PrepareUpgradeFailed, 1), (ErrorType.UpgradeFailed, 2),
        (ErrorType.RollbackSucceeded, 1), (ErrorType.RollbackFailed, 1),
    ];
    /// <summary>
    /// A bad package: the target version whose upgrades fail for <see cref="FailShare"/> of the vehicles (chosen by a
    /// stable hash of the VIN, see <see cref="BadPackage"/>); null: no version is bad.
    /// </summary>
    public string? FailVersion { get; init; }
    /// <summary>Share of the vehicles, 0–1, whose upgrade to <see cref="FailVersion"/> fails, whatever <see cref="FailureRate"/> says.</summary>
    public double FailShare { get; init; }
    /// <summary>Share of vehicles that also send an upgrade command and an EEPROM clear, 0–1.</summary>
    public double CommandRate { get; init; } = 0.2;
    /// <summary>Vehicles working on a notice at the same time.</summary>
    public int Concurrency { get; init; } = 64;
    /// <summary>Stop after this long whatever happens; null: run until idle.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>Stop when standard input ends too (a parent process closes it): how a benchmark stops the fleet when it is done with it.</summary>
    public bool UntilInputEnds { get; init; }
    /// <summary>Once notices (DDI: work) have come, stop when none came and no vehicle worked for this long.</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.FromSeconds(15);
    public int Seed { get; init; } = 42;
    /// <summary>A CSV file to write every notice received to, with its time (for benchmarks that compare it with the server's).</summary>
    public string? NoticeLog { get; init; }
    /// <summary>Print the summary as JSON too (for scripts and the end-to-end benchmark).</summary>
    public bool Json { get; init; }

    /// <summary>Keep each vehicle's outcome (tests compare them with what the server recorded).</summary>
    public bool RecordOutcomes { get; init; }

    /// <summary>Which package files are really downloaded (see <see cref="DownloadPolicy"/>).</summary>
    public DownloadMode Downloads { get; init; } = DownloadMode.Auto;
    /// <summary>Share of file transfers, 0–1, the simulator cuts itself at a random point and then resumes.</summary>
    public double CutRate { get; init; }
    /// <summary>Attempts a file may take beyond its first after a cut connection or a passing server error.</summary>
    public int DownloadRetries { get; init; } = 3;
    /// <summary>A folder to keep the downloaded files in ({folder}/{vin}/{fileName}); null: hash the bytes and drop them.</summary>
    public string? DownloadFolder { get; init; }

    /// <summary>
    /// The vehicles with a DDI token poll the hawkBit DDI API (SPEC §14) instead of waiting for MQTT notices: deployment,
    /// downloads with their token, feedback; cancel actions acknowledged (see <see cref="DdiFleetSimulation"/>).
    /// </summary>
    public bool Ddi { get; init; }
    /// <summary>The DDI <c>{tenant}</c> of the paths.</summary>
    public string DdiTenant { get; init; } = "DEFAULT";
    /// <summary>Time between a device's polls; null: the server's <c>config.polling.sleep</c>. Zero: poll again at once (load).</summary>
    public TimeSpan? PollInterval { get; init; }
    /// <summary>Polls started within this time of the start are not in the poll figures (a fresh process compiling, connections opening).</summary>
    public TimeSpan PollWarmup { get; init; }

    public const string Usage = """
        usage: ./ota simulate [options]
          --vehicles-file F     vehicles and secrets (default .data/demo-vehicles.csv: vin,seriesModel,firmwareVersion,secret)
          --url U               vehicle API base URL (default http://127.0.0.1:5080)
          --mqtt-host H         broker host (default 127.0.0.1)      --mqtt-port P   broker port (default 1883)
          --mqtt-user U         broker user (default ota-monitor)    --mqtt-password P (default: derived from
                                OTA_MASTER_KEY, which ./ota simulate sets)
          --failure-rate R      share of upgrades that fail, 0-1 (default 0.1)
          --failure-types T     e.g. DownloadFailed:3,UpgradeFailed:1 (error types with weights)
          --fail-version V      a bad package: upgrades to version V fail for the share of --fail-share
          --fail-share R        share of the vehicles, 0-1, chosen by a stable hash of the VIN (so reruns agree),
                                whose upgrade to --fail-version fails with an error type from --failure-types;
                                the others behave as --failure-rate says
          --command-rate R      share of vehicles that also send an upgrade command and an EEPROM clear (default 0.2)
          --concurrency N       vehicles working at once (default 64)
          --duration S          stop after S seconds
          --idle-seconds S      once notices (DDI: work) came, stop after S seconds without any (default 15);
                                until the first, wait however long the campaign takes to start
          --until-input-ends    stop also when standard input ends (a parent process closes it)
          --seed N              random seed (default 42)      --json            also print the summary as JSON
          --notice-log F        write every notice received to F (CSV: receivedAtMs,kind,vin,taskId,messageId)
          --downloads M         real: download every package file (streamed, resumed with Range, size and SHA-256
                                checked); pretend: only report made-up progress; auto (default): real except for
                                files on the host ota-cdn.example.com (the demo catalog's address, which does not exist)
          --cut-rate R          share of file transfers, 0-1, the simulator cuts mid-way and resumes (default 0)
          --download-retries N  attempts a file may take after its first, on cuts and server errors (default 3)
          --download-dir D      keep the downloaded files in D/VIN/ (default: hash them and keep nothing)
          --ddi                 the vehicles with a ddiToken column in the vehicles file are hawkBit DDI devices (SPEC §14):
                                they poll /{tenant}/controller/v1/{VIN}, take deployments (downloads with the token,
                                size and SHA-256 checked), send proceeding, downloaded, closed feedback (failures as
                                --failure-rate/--failure-types say: DownloadFailed before downloaded, any other after)
                                and acknowledge cancel actions; no MQTT
          --tenant T            the DDI tenant (default DEFAULT)
          --poll-interval S     seconds between a device's polls (decimals allowed; 0: at once, for load; default:
                                the server's config.polling.sleep)
          --poll-warmup S       polls started in the first S seconds are left out of the poll figures (default 0)
        """;

    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SimulatorOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Rate(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
                ? r : throw new ArgumentException($"'{v}' is not a rate from 0 to 1");
            double Seconds(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 86_400
                ? s : throw new ArgumentException($"'{v}' is not a number of seconds from 0 to 86400");
            int Whole(string v, int min) => int.TryParse(v, out var n) && n >= min ? n : throw new ArgumentException($"'{v}' is not a whole number ≥ {min}");
            o = args[i] switch
            {
                "--vehicles-file" => o with { VehiclesFile = Next() },
                "--url" => o with { ApiUrl = new Uri(Next()) },
                "--mqtt-host" => o with { MqttHost = Next() },
                "--mqtt-port" => o with { MqttPort = Whole(Next(), 1) },
                "--mqtt-user" => o with { MqttUsername = Next() },
                "--mqtt-password" => o with { MqttPassword = Next() },
                "--failure-rate" => o with { FailureRate = Rate(Next()) },
                "--failure-types" => o with { FailureTypes = ParseFailureTypes(Next()) },
                "--fail-version" => o with { FailVersion = Next() },
                "--fail-share" => o with { FailShare = Rate(Next()) },
                "--command-rate" => o with { CommandRate = Rate(Next()) },
                "--concurrency" => o with { Concurrency = Whole(Next(), 1) },
                "--duration" => o with { Duration = TimeSpan.FromSeconds(Whole(Next(), 1)) },
                "--idle-seconds" => o with { IdleAfter = TimeSpan.FromSeconds(Whole(Next(), 1)) },
                "--until-input-ends" => o with { UntilInputEnds = true },
                "--seed" => o with { Seed = Whole(Next(), 0) },
                "--json" => o with { Json = true },
                "--notice-log" => o with { NoticeLog = Next() },
                "--downloads" => o with { Downloads = ParseDownloadMode(Next()) },
                "--cut-rate" => o with { CutRate = Rate(Next()) },
                "--download-retries" => o with { DownloadRetries = Whole(Next(), 0) },
                "--download-dir" => o with { DownloadFolder = Next() },
                "--ddi" => o with { Ddi = true },
                "--tenant" => o with { DdiTenant = Next() },
                "--poll-interval" => o with { PollInterval = TimeSpan.FromSeconds(Seconds(Next())) },
                "--poll-warmup" => o with { PollWarmup = TimeSpan.FromSeconds(Seconds(Next())) },
                var other => throw new ArgumentException($"unknown option {other}"),
            };
        }
        if (o.FailShare > 0 && string.IsNullOrWhiteSpace(o.FailVersion)) throw new ArgumentException("--fail-share needs --fail-version");
        return o;
    }

    private static DownloadMode ParseDownloadMode(string text) =>
        Enum.TryParse<DownloadMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode : throw new ArgumentException($"'{text}' is not one of real, pretend, auto");

    private static List<(ErrorType, int)> ParseFailureTypes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var pieces = part.Split(':');
            if (!Enum.TryParse<ErrorType>(pieces[0], out var type))
                throw new ArgumentException($"'{pieces[0]}' is not one of {string.Join(", ", Enum.GetNames<ErrorType>())}");
            var weight = pieces.Length > 1 && int.TryParse(pieces[1], out var w) && w > 0 ? w : 1;
            return (type, weight);
        }).ToList();
}
