using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Certificates;

namespace Ota.Web.Cli;

/// <summary>
/// `vehicle certificate VIN`, `vehicle revoke-certificates VIN`, `broker certificates` and `broker crl`: certificates from
/// the vehicle CA for an external broker that authenticates clients by certificate (Mosquitto, deploy/mosquitto; ADR 019).
/// </summary>
internal static class CertificateCommands
{
    private const string VehicleUsage = "usage: ./ota vehicle certificate VIN [--out DIR] [--days N] | vehicle revoke-certificates VIN";
    private const string BrokerUsage = "usage: ./ota broker certificates --out DIR [--host NAME]... [--days N] | broker crl --out DIR";

    /// <summary>
    /// `vehicle certificate VIN [--out DIR] [--days N]`: a client certificate CN=VIN with a new key; into DIR as VIN.pem,
    /// VIN.key (mode 600) and ca.pem, or printed (certificate, then key) without --out.
    /// </summary>
    public static async Task<int> VehicleAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args is ["revoke-certificates", ..])
        {
            if (args is [_, var revoked]) return await RevokeAsync(services, revoked, ct);
            Console.Error.WriteLine(VehicleUsage);
            return 2;
        }
        if (!TryParse(args[1..], out var options, allowHosts: false) || options.Rest is not [var vinText])
        {
            Console.Error.WriteLine(VehicleUsage);
            return 2;
        }
        if (CommandLine.VinOrComplain(vinText) is not { } vin) return 1;
        if (await services.GetRequiredService<VehicleCertificates>().IssueAsync(vin, options.Lifetime, ct) is not { } issued)
        {
            Console.Error.WriteLine(CommandLine.NotInRegistry(vin));
            return 1;
        }
        var ca = services.GetRequiredService<VehicleCertificateAuthority>();
        if (options.Out is null)
        {
            Console.Error.WriteLine($"client certificate CN={vin} (serial {issued.SerialNumber}, valid until {issued.NotAfter:yyyy-MM-dd}), then its key; " +
                                    "the key is not kept by the product:");
            Console.Write(issued.CertificatePem + "\n" + issued.PrivateKeyPem + "\n");
            return 0;
        }
        await WriteAsync(options.Out, $"{vin}.pem", issued.CertificatePem, secret: false, ct);
        await WriteAsync(options.Out, $"{vin}.key", issued.PrivateKeyPem, secret: true, ct);
        await WriteAsync(options.Out, "ca.pem", (await ca.CertificateAsync(ct)).ExportCertificatePem(), secret: false, ct);
        Console.WriteLine($"client certificate CN={vin} (serial {issued.SerialNumber}, valid until {issued.NotAfter:yyyy-MM-dd}) in {options.Out}: " +
                          $"{vin}.pem, {vin}.key (the product keeps no copy of the key) and ca.pem (to trust the broker by)");
        return 0;
    }

    /// <summary>`vehicle revoke-certificates VIN`: every unexpired certificate of the vehicle goes on the CA's revocation list.</summary>
    private static async Task<int> RevokeAsync(IServiceProvider services, string vinText, CancellationToken ct)
    {
        if (CommandLine.VinOrComplain(vinText) is not { } vin) return 1;
        var revoked = await services.GetRequiredService<VehicleCertificateAuthority>().RevokeVehicleAsync(vin, ct);
        Console.WriteLine(revoked == 0
            ? $"{vin} holds no unexpired certificate that is not revoked already"
            : $"revoked {revoked} certificate(s) of {vin}; the broker refuses them once it has the new list: ./ota broker crl --out DIR, " +
              "then SIGHUP to Mosquitto");
        return 0;
    }

    /// <summary>`broker crl --out DIR`: the revocation list (crl.pem) the broker's <c>crlfile</c> names.</summary>
    private static async Task<int> CrlAsync(IServiceProvider services, string folder, CancellationToken ct)
    {
        await WriteAsync(folder, "crl.pem", await services.GetRequiredService<VehicleCertificateAuthority>().RevocationListPemAsync(ct), secret: false, ct);
        Console.WriteLine($"in {folder}: crl.pem, the vehicle CA's revocation list; send SIGHUP to Mosquitto to take it up");
        return 0;
    }

    /// <summary>
    /// `broker certificates --out DIR [--host NAME]... [--days N]`: the CA certificate (ca.pem, the broker's cafile) and a
    /// server certificate for the broker (broker.pem, broker.key) valid for each host (localhost and 127.0.0.1 by default),
    /// and the current revocation list (crl.pem).
    /// </summary>
    public static async Task<int> BrokerAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args is ["crl", ..] && TryParse(args[1..], out var crl, allowHosts: false) && crl is { Out: { } crlFolder, Rest.Count: 0 })
            return await CrlAsync(services, crlFolder, ct);
        if (args is not ["certificates", ..] || !TryParse(args[1..], out var options, allowHosts: true) || options.Rest.Count > 0 || options.Out is null)
        {
            Console.Error.WriteLine(BrokerUsage);
            return 2;
        }
        var hosts = options.Hosts.Count > 0 ? options.Hosts : ["localhost", "127.0.0.1"];
        var ca = services.GetRequiredService<VehicleCertificateAuthority>();
        IssuedCertificate issued;
        try
        {
            issued = await ca.IssueBrokerAsync(hosts, options.Lifetime, ct);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        var caCertificate = await ca.CertificateAsync(ct);
        await WriteAsync(options.Out, "ca.pem", caCertificate.ExportCertificatePem(), secret: false, ct);
        await WriteAsync(options.Out, "broker.pem", issued.CertificatePem, secret: false, ct);
        await WriteAsync(options.Out, "broker.key", issued.PrivateKeyPem, secret: true, ct);
        await WriteAsync(options.Out, "crl.pem", await ca.RevocationListPemAsync(ct), secret: false, ct);
        Console.WriteLine($"in {options.Out}: ca.pem ({caCertificate.Subject}), broker.pem for {string.Join(", ", hosts)} " +
                          $"(valid until {issued.NotAfter:yyyy-MM-dd}), broker.key and crl.pem; see deploy/mosquitto/mosquitto.conf");
        return 0;
    }

    private sealed record Options(string? Out, List<string> Hosts, TimeSpan? Lifetime, List<string> Rest);

    private static bool TryParse(string[] args, out Options options, bool allowHosts)
    {
        options = new Options(null, [], null, []);
        string? output = null;
        TimeSpan? lifetime = null;
        for (var i = 0; i < args.Length; i++)
        {
            var hasValue = i + 1 < args.Length;
            if (args[i] == "--out" && hasValue) output = CommandLine.CallerPath(args[++i]);
            else if (args[i] == "--host" && hasValue && allowHosts) options.Hosts.Add(args[++i]);
            else if (args[i] == "--days" && hasValue && int.TryParse(args[i + 1], out var days) && days > 0)
            {
                lifetime = TimeSpan.FromDays(days);
                i++;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) return false;
            else options.Rest.Add(args[i]);
        }
        options = options with { Out = output, Lifetime = lifetime };
        return true;
    }

    private static async Task WriteAsync(string folder, string name, string pem, bool secret, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        // An existing file keeps its mode when overwritten: a key file is made anew.
        if (secret) File.Delete(path);
        // A key file is created readable by its owner only, before anything is written to it.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var file = new FileStream(path, options);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(pem.AsMemory(), ct);
        await writer.WriteLineAsync();
    }
}
