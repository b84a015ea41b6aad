namespace Ota.Simulator;

/// <summary>A vehicle the simulator plays: its VIN, the secret it signs with, and the firmware it runs.</summary>
/// <param name="ddiToken">Its DDI target token (SPEC §14), when it takes its updates through DDI.</param>
public sealed class SimulatedVehicle(string vin, string seriesModel, string firmwareVersion, string secret, string? ddiToken = null)
{
    public string Vin { get; } = vin;
    public string SeriesModel { get; } = seriesModel;
    public string Secret { get; } = secret;
    public string? DdiToken { get; } = ddiToken;

    /// <summary>Changes when an upgrade succeeds.</summary>
    public string FirmwareVersion { get; set; } = firmwareVersion;

    /// <summary>The DDI action link (with its <c>?c=</c>) it closed last: a poll that offers it again breaks the contract (a resend has a new one).</summary>
    public string? LastDdiAction { get; set; }

    /// <summary>Set by a cancel notice; the vehicle stops its current upgrade at the next step.</summary>
    public CancellationTokenSource? CurrentUpgrade { get; set; }
}

/// <summary>
/// Reads the fleet from a CSV with the header vin,seriesModel,firmwareVersion,secret (the demo's .data/demo-vehicles.csv),
/// and an optional ddiToken column: the DDI target token of a device that polls (<c>--ddi</c>), empty for the others.
/// </summary>
public static class FleetFile
{
    public static Dictionary<string, SimulatedVehicle> Read(string path)
    {
        var vehicles = new Dictionary<string, SimulatedVehicle>(StringComparer.Ordinal);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new InvalidDataException($"{path} is empty.");
        int Column(string name) => Array.FindIndex(header, h => h.Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
            ? i : throw new InvalidDataException($"{path} has no '{name}' column.");
        int vin = Column("vin"), seriesModel = Column("seriesModel"), firmware = Column("firmwareVersion"), secret = Column("secret");
        var ddiToken = Array.FindIndex(header, h => h.Trim().Equals("ddiToken", StringComparison.OrdinalIgnoreCase));
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            var token = ddiToken >= 0 && ddiToken < cells.Length && cells[ddiToken].Length > 0 ? cells[ddiToken] : null;
            vehicles[cells[vin]] = new SimulatedVehicle(cells[vin], cells[seriesModel], cells[firmware], cells[secret], token);
        }
        return vehicles;
    }
}
