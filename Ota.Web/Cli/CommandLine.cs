using Ota.Domain.Operations;
using Ota.Infrastructure;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Catalog.Files;
using Ota.Infrastructure.Ddi;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Platform.Tabular;
using Ota.Web.Hosting;

namespace Ota.Web.Cli;

/// <summary>
/// The app's command-line verbs, called by the ./ota script: migrate, import, demo. They share the web app's
/// configuration and services but start no web server and no background jobs.
/// </summary>
public static class CommandLine
{
    private static readonly HashSet<string> Verbs = ["migrate", "import", "demo", "apikey", "admin", "vehicle", "signing-key", "broker"];

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Insert(0, OtaConfiguration.SharedSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddInfrastructure(builder.Configuration);
        using var host = builder.Build();
        var services = host.Services;
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            return args[0] switch
            {
                "migrate" => await MigrateAsync(services, cts.Token),
                "import" => await ImportAsync(services, args[1..], cts.Token),
                "demo" => await DemoAsync(services, args[1..], cts.Token),
                "apikey" => await ApiKeyAsync(services, args[1..], cts.Token),
                "admin" => await AdminAsync(services, args[1..], cts.Token),
                "vehicle" when args is [_, "certificate" or "revoke-certificates", ..] => await CertificateCommands.VehicleAsync(services, args[1..], cts.Token),
                "vehicle" => await VehicleAsync(services, args[1..], cts.Token),
                "signing-key" => await SigningKeyAsync(services, args[1..], cts.Token),
                "broker" => await CertificateCommands.BrokerAsync(services, args[1..], cts.Token),
                _ => Usage(),
            };
        }
        catch (TabularFileException ex)
        {
            Console.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            return 1;
        }
        catch (FileNotFoundException ex)
        {
            Console.Error.WriteLine($"error: no such file: {ex.FileName}");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: migrate | import KIND FILE | demo [--vehicles N] [--if-missing] | apikey create NAME [--scopes LIST] [--diagnostic] | admin create EMAIL | vehicle ddi-token|rotate-secret|certificate|revoke-certificates VIN | signing-key list|rotate|retire KEYID | broker certificates|crl --out DIR");
        return 2;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        var pending = await services.GetRequiredService<DatabaseMigrations>().ApplyAsync(ct);
        Console.WriteLine(pending.Count == 0 ? "database is up to date" : $"applied {pending.Count} migration(s): {string.Join(", ", pending)}");
        return 0;
    }

    private static async Task<int> ImportAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args is ["file", var packageKey, var file]) return await ImportFileAsync(services, packageKey, file, ct);
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: ./ota import catalog|vehicles|blacklist|whitelist-forced|whitelist-same-version|whitelist-downgrade FILE");
            Console.Error.WriteLine("       ./ota import file ECU_PACKAGE_KEY FILE");
            return 2;
        }
        var (kind, path) = (args[0], CallerPath(args[1]));
        if (!File.Exists(path)) throw new FileNotFoundException("no such file", path);
        ImportReport report;
        if (kind == "catalog") report = await services.GetRequiredService<CatalogImporter>().ImportFileAsync(path, ct);
        else if (kind == "vehicles") report = await services.GetRequiredService<VehicleImporter>().ImportFileAsync(path, ct);
        else if (VehicleListKind.Parse(kind) is { } list) report = await services.GetRequiredService<VehicleListImporter>().ImportFileAsync(list, path, ct);
        else
        {
            Console.Error.WriteLine($"unknown import kind '{kind}'");
            return 2;
        }
        return Print(report, Path.GetFileName(path));
    }

    /// <summary><c>./ota import file ECU_PACKAGE_KEY FILE</c>: the same upload as the console's and the open API's (SPEC §13).</summary>
    private static async Task<int> ImportFileAsync(IServiceProvider services, string packageKey, string file, CancellationToken ct)
    {
        var path = CallerPath(file);
        if (!File.Exists(path)) throw new FileNotFoundException("no such file", path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            var uploaded = await services.GetRequiredService<PackageFileUploads>().UploadAsync(
                packageKey, stream, stream.Length, Path.GetFileName(path), $"cli:{Environment.UserName}", ct);
            var f = uploaded.File;
            Console.WriteLine($"{packageKey}: {(uploaded.Replaced ? "replaced" : "stored")} {Path.GetFileName(path)}, {f.Size:N0} bytes");
            Console.WriteLine($"  sha256 {f.Sha256}");
            Console.WriteLine($"  sha1   {f.Sha1}");
            Console.WriteLine($"  md5    {f.Md5}");
            return 0;
        }
        catch (PackageFileException e)
        {
            Console.Error.WriteLine($"error {e.Code}: {e.Message}");
            return 1;
        }
    }

    internal static int Print(ImportReport report, string what)
    {
        if (!report.Succeeded)
        {
            foreach (var problem in report.Problems) Console.Error.WriteLine(problem);
            if (report.ProblemCount > report.Problems.Count)
                Console.Error.WriteLine($"… and {report.ProblemCount - report.Problems.Count} more");
            Console.Error.WriteLine($"{what}: {report.ProblemCount} problem(s); nothing was written");
            return 1;
        }
        var written = report.Written.Count == 0 ? "nothing changed" : string.Join(", ", report.Written.Select(kv => $"{kv.Value} {kv.Key}"));
        Console.WriteLine($"{what}: {report.RowsRead} rows read; {written}");
        return 0;
    }

    private static async Task<int> ApiKeyAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        const string usage = "usage: ./ota apikey create NAME [--scopes tasks:read,tasks:write,catalog:write,vehicles:read] [--diagnostic]";
        var diagnostic = args.Contains("--diagnostic");
        var rest = args.Where(a => a != "--diagnostic").ToList();
        string? scopeList = null;
        var at = rest.IndexOf("--scopes");
        if (at >= 0)
        {
            if (at + 1 >= rest.Count)
            {
                Console.Error.WriteLine(usage);
                return 2;
            }
            scopeList = rest[at + 1];
            rest.RemoveRange(at, 2);
        }
        if (rest is not ["create", var name])
        {
            Console.Error.WriteLine(usage);
            return 2;
        }
        try
        {
            var scopes = ApiScopes.Parse(scopeList);
            var (key, secret) = await services.GetRequiredService<ApiKeyStore>().CreateAsync(name, diagnostic, scopes, ct);
            Console.WriteLine($"created API key '{key.Name}' ({key.Prefix}…) with scopes {string.Join(",", scopes)}" +
                $"{(diagnostic ? ", allowed to create Diagnostic tasks" : "")}; send it in the X-Api-Key header. It is shown only once:");
            Console.WriteLine(secret);
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }

    private const string VehicleUsage =
        "usage: ./ota vehicle ddi-token VIN | ./ota vehicle rotate-secret VIN | ./ota vehicle certificate VIN [--out DIR] | ./ota vehicle revoke-certificates VIN";

    /// <summary>
    /// `vehicle ddi-token VIN`: a new DDI target token for the vehicle (SPEC §14). `vehicle rotate-secret VIN`: a new
    /// secret for the vehicle API's signatures (SPEC §15), stored wrapped. Either is printed alone on the last line, and
    /// the old one stops working.
    /// </summary>
    private static async Task<int> VehicleAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args is not [("ddi-token" or "rotate-secret") and var action, var vinText])
        {
            Console.Error.WriteLine(VehicleUsage);
            return 2;
        }
        if (VinOrComplain(vinText) is not { } vin) return 1;
        return action == "ddi-token" ? await DdiTokenAsync(services, vin, ct) : await RotateSecretAsync(services, vin, ct);
    }

    private static async Task<int> DdiTokenAsync(IServiceProvider services, string vin, CancellationToken ct)
    {
        if (await services.GetRequiredService<DdiTokens>().IssueAsync(vin, ct) is not var (token, client))
        {
            Console.Error.WriteLine(NotInRegistry(vin));
            return 1;
        }
        Console.WriteLine($"new DDI target token for {vin}; the device sends 'Authorization: TargetToken <token>' to /{{tenant}}/controller/v1/{vin}. It is shown only once:");
        if (client != Domain.UpdateClient.Ddi)
            Console.Error.WriteLine($"note: {vin} takes its updates natively (updateClient {client}): it gets MQTT notices, not DDI actions, until it is imported with updateClient Ddi");
        Console.WriteLine(token);
        return 0;
    }

    private const string SigningKeyUsage = "usage: ./ota signing-key list | rotate | retire KEYID";

    /// <summary>
    /// `signing-key list|rotate|retire KEYID`: the keys notices and descriptions are signed with (SPEC §15). A rotation makes a
    /// new key the signing key on every instance within a second; the old one stays published until it is retired.
    /// </summary>
    private static async Task<int> SigningKeyAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var keys = services.GetRequiredService<SigningKeys>();
        using var audit = AuditActor.Begin("command line");
        switch (args)
        {
            case ["list"]:
                // The first use makes the first key, as a starting app would.
                await keys.ActiveAsync(ct);
                Console.WriteLine($"{"key id",-16}  {"algorithm",-9}  {"state",-9}  {"created (UTC)",-19}  {"activated (UTC)",-19}  retired (UTC)");
                foreach (var key in await keys.ListAsync(ct))
                {
                    var state = key.IsActive ? "active" : key.RetiredAt is null ? "published" : "retired";
                    Console.WriteLine($"{key.KeyId,-16}  {key.Algorithm,-9}  {state,-9}  {Time(key.CreatedAt),-19}  {Time(key.ActivatedAt),-19}  {Time(key.RetiredAt)}");
                }
                return 0;
            case ["rotate"]:
                var (created, replaced) = await keys.RotateAsync(ct);
                Console.WriteLine($"signing key {created.KeyId} signs notices and descriptions from now on (every instance within a second)" +
                    (replaced is null ? "" : $"; {replaced} stays published until `./ota signing-key retire {replaced}`"));
                return 0;
            case ["retire", var keyId]:
                switch (await keys.RetireAsync(keyId, ct))
                {
                    case SigningKeyRetirement.Retired:
                        await services.GetRequiredService<AuditTrail>().RecordAsync("Retire", nameof(SigningKey), keyId, null, null, ct: ct);
                        Console.WriteLine($"signing key {keyId} retired: no longer published; what it signed no longer verifies");
                        return 0;
                    case SigningKeyRetirement.AlreadyRetired:
                        Console.WriteLine($"signing key {keyId} was retired already");
                        return 0;
                    case SigningKeyRetirement.Active:
                        Console.Error.WriteLine($"error: {keyId} is the signing key; rotate first (./ota signing-key rotate), then retire it");
                        return 1;
                    default:
                        Console.Error.WriteLine($"error: no signing key {keyId} (./ota signing-key list shows them)");
                        return 1;
                }
            default:
                Console.Error.WriteLine(SigningKeyUsage);
                return 2;
        }

        static string Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
    }

    private static async Task<int> RotateSecretAsync(IServiceProvider services, string vin, CancellationToken ct)
    {
        if (await services.GetRequiredService<VehicleSecrets>().RotateAsync(vin, ct) is not { } secret)
        {
            Console.Error.WriteLine(NotInRegistry(vin));
            return 1;
        }
        Console.WriteLine($"new secret for {vin}; the vehicle signs its API requests with it (X-Ota-Signature), and the old one is refused from now on. It is shown only once:");
        Console.WriteLine(secret);
        return 0;
    }

    internal static string NotInRegistry(string vin) => $"error: vehicle {vin} is not in the registry (import it first)";

    /// <summary>The VIN the text names, or null after saying on stderr why it is not one.</summary>
    internal static string? VinOrComplain(string text)
    {
        var vin = Domain.Vin.Normalize(text);
        if (vin is null) Console.Error.WriteLine($"error: '{text}' is not a VIN (17 characters A-Z and 0-9, without I, O, Q)");
        return vin;
    }

    /// <summary>A path given on the command line, relative to where ./ota was called from (OTA_CALLER_DIR).</summary>
    internal static string CallerPath(string path) =>
        Path.GetFullPath(path, Environment.GetEnvironmentVariable("OTA_CALLER_DIR") ?? Environment.CurrentDirectory);

    private const string AdminUsage =
        "usage: ./ota admin create EMAIL [--role Admin|Operator|Viewer] [--if-missing] [--password-file FILE]";

    /// <summary>
    /// `admin create EMAIL`: creates the console account (or gives an existing one a new password) with a generated
    /// password, printed alone on the last line. --if-missing keeps an existing account whose password file is there
    /// (what ./ota run does for its demo login); --password-file also writes the password to that file (mode 600).
    /// </summary>
    private static async Task<int> AdminAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args.Length < 2 || args[0] != "create")
        {
            Console.Error.WriteLine(AdminUsage);
            return 2;
        }
        var email = args[1];
        var role = ConsoleRoles.Admin;
        var ifMissing = false;
        string? passwordFile = null;
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--role" && i + 1 < args.Length) role = args[++i];
            else if (args[i] == "--if-missing") ifMissing = true;
            else if (args[i] == "--password-file" && i + 1 < args.Length)
                passwordFile = CallerPath(args[++i]);
            else
            {
                Console.Error.WriteLine(AdminUsage);
                return 2;
            }
        }
        var accounts = services.GetRequiredService<ConsoleAccounts>();
        using var audit = AuditActor.Begin("command line");
        try
        {
            if (ifMissing && (passwordFile is null || File.Exists(passwordFile)) && (await accounts.ListAsync(ct)).Any(a => a.Email.Equals(email.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                Console.WriteLine($"console account {email.Trim()} exists; kept as it is");
                return 0;
            }
            var issued = await accounts.CreateOrResetAsync(email, role, ct: ct);
            if (passwordFile is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(passwordFile)!);
                await File.WriteAllTextAsync(passwordFile, issued.Password + Environment.NewLine, ct);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            Console.WriteLine($"{(issued.Created ? "created" : "reset")} console account {issued.Email} with role {issued.Role}; sign in with this password (shown only once):");
            Console.WriteLine(issued.Password);
            return 0;
        }
        catch (ConsoleAccountException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> DemoAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var vehicles = 2000;
        var ifMissing = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--vehicles" && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n is >= 0 and <= 20_000_000)
            {
                vehicles = n;
                i++;
            }
            else if (args[i] == "--if-missing") ifMissing = true;
            else
            {
                Console.Error.WriteLine("usage: ./ota demo [--vehicles N] (N from 0 to 20,000,000)");
                return 2;
            }
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        await services.GetRequiredService<DemoWorld>().LoadAsync(vehicles, ifMissing, Console.Out, ct);
        Console.WriteLine($"demo world ready in {started.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
}
