using System.Security.Cryptography.X509Certificates;
using MQTTnet.Exceptions;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Testing;

namespace Ota.Web.Tests.Cli;

/// <summary>
/// The operator's path to a Mosquitto of their own (ADR 019), with the app's command line as `./ota` runs it: the broker's
/// certificates, a vehicle's, a revocation; the files put to use by a real Mosquitto from deploy/mosquitto.
/// </summary>
public sealed class CertificateCommandCalls(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Puts <paramref name="vin"/> in the registry (with the demo catalog), as an import would.</summary>
    private async Task RegisterAsync(string vin)
    {
        await using var services = TestServices.Create(db, redis);
        var fleet = new TestFleet(services, db);
        await fleet.ImportDemoCatalogAsync();
        await fleet.AddVehiclesAsync([(await fleet.VehicleAsync(vin)) with { Secret = "s" }]);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // Mosquitto and file modes: the tests run on Linux.
    public async Task AnOperatorSetsUpTheBrokerGivesAVehicleItsCertificateAndRevokesIt()
    {
        var vin = TestFleet.TestVin(1, 'C');
        await RegisterAsync(vin);
        var settings = AppProcess.VictimSettings(db, redis);
        var brokerFolder = Directory.CreateTempSubdirectory("ota-broker-").FullName;
        var vehicleFolder = Directory.CreateTempSubdirectory("ota-vehicle-").FullName;

        var (exit, output, errors) = await AppProcess.RunCommandAsync(settings, "broker", "certificates", "--out", brokerFolder, "--host", "127.0.0.1");
        Assert.True(exit == 0, errors);
        Assert.Contains("broker.pem for 127.0.0.1", output);
        (exit, output, errors) = await AppProcess.RunCommandAsync(settings, "vehicle", "certificate", vin, "--out", vehicleFolder);
        Assert.True(exit == 0, errors);
        Assert.Contains($"CN={vin}", output);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(brokerFolder, "broker.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(vehicleFolder, $"{vin}.key")));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(brokerFolder, "ca.pem")), await File.ReadAllTextAsync(Path.Combine(vehicleFolder, "ca.pem")));
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(vehicleFolder, "ca.pem")));
        using var vehicle = X509Certificate2.CreateFromPemFile(Path.Combine(vehicleFolder, $"{vin}.pem"), Path.Combine(vehicleFolder, $"{vin}.key"));
        Assert.Equal(vin, vehicle.GetNameInfo(X509NameType.SimpleName, forIssuer: false));

        await using var broker = new MosquittoProcess(await File.ReadAllTextAsync(Path.Combine(brokerFolder, "ca.pem")),
            new IssuedCertificate(await File.ReadAllTextAsync(Path.Combine(brokerFolder, "broker.pem")),
                await File.ReadAllTextAsync(Path.Combine(brokerFolder, "broker.key")), "127.0.0.1", "", DateTimeOffset.MaxValue),
            await File.ReadAllTextAsync(Path.Combine(brokerFolder, "crl.pem")));
        await broker.StartAsync();
        await (await MqttNoticeSubscriber.ConnectAsync(broker.Subscriber(vehicle, ca, vin))).DisposeAsync();

        (exit, output, errors) = await AppProcess.RunCommandAsync(settings, "vehicle", "revoke-certificates", vin);
        Assert.True(exit == 0, errors);
        Assert.Contains("revoked 1 certificate(s)", output);
        (exit, _, errors) = await AppProcess.RunCommandAsync(settings, "broker", "crl", "--out", brokerFolder);
        Assert.True(exit == 0, errors);
        await broker.ReplaceRevocationListAsync(await File.ReadAllTextAsync(Path.Combine(brokerFolder, "crl.pem")));

        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                await (await MqttNoticeSubscriber.ConnectAsync(broker.Subscriber(vehicle, ca, vin))).DisposeAsync();
                return false;
            }
            catch (MqttCommunicationException)
            {
                return true;
            }
        }, Patience, "the broker to refuse the revoked certificate");
    }

    [Theory]
    [InlineData("LSVAU2180N9999999", "is not in the registry")]
    [InlineData("NOT-A-VIN", "is not a VIN")]
    public async Task AVehicleCertificateIsOnlyForAVehicleOfTheRegistry(string vin, string error)
    {
        var (exit, _, errors) = await AppProcess.RunCommandAsync(AppProcess.VictimSettings(db, redis), "vehicle", "certificate", vin);

        Assert.Equal(1, exit);
        Assert.Contains(error, errors);
        Assert.Equal(0, await db.CountAsync("ota_vehicle_certificate"));
    }

    [Fact]
    public async Task ARevocationWithExtraArgumentsIsRefusedAndIssuesNothing()
    {
        var vin = TestFleet.TestVin(2, 'C');
        await RegisterAsync(vin);

        var (exit, _, errors) = await AppProcess.RunCommandAsync(AppProcess.VictimSettings(db, redis), "vehicle", "revoke-certificates", vin, "--days", "3");

        Assert.Equal(2, exit);
        Assert.Contains("usage:", errors);
        Assert.Equal(0, await db.CountAsync("ota_vehicle_certificate", $"vin = '{vin}'"));
    }
}
