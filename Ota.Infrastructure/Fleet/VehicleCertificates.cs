using Microsoft.EntityFrameworkCore;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Fleet;

/// <summary>Broker client certificates for the vehicles of the registry (`./ota vehicle certificate VIN`), from the vehicle CA.</summary>
public sealed class VehicleCertificates(IDbContextFactory<OtaDbContext> contexts, VehicleCertificateAuthority ca)
{
    /// <summary>A new certificate CN = VIN and its key; null when the vehicle is not in the registry.</summary>
    public async Task<IssuedCertificate?> IssueAsync(string vin, TimeSpan? lifetime, CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.Vehicles.AnyAsync(v => v.Vin == vin, ct)) return null;
        }
        return await ca.IssueVehicleAsync(vin, lifetime, ct);
    }
}
