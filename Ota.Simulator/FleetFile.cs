namespace Ota.Simulator;

/// <summary>A vehicle the simulator plays: its VIN, the secret it signs with, and the firmware it runs.</summary>
public sealed class SimulatedVehicle(string vin, string seriesModel, string firmwareVersion, string secret)
{
    public string Vin { get; } = vin;
    public string SeriesModel { get; } = seriesModel;
    public string Secret { get; } = secret;

    /// <summary>Changes when an upgrade succeeds.</summary>
    public string FirmwareVersion { get; set; } = firmwareVersion;

    /// <summary>Set by a cancel notice; the vehicle stops its current upgrade at the next step.</summary>
    public CancellationTokenSource? CurrentUpgrade { get; set; }
}

/// <summary>Reads the fleet from a CSV with the header vin,seriesModel,firmwareVersion,secret (the demo's .data/demo-vehicles.csv).</summary>
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
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            vehicles[cells[vin]] = new SimulatedVehicle(cells[vin], cells[seriesModel], cells[firmware], cells[secret]);
        }
        return vehicles;
    }
}
