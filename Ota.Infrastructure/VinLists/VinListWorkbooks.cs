using Microsoft.EntityFrameworkCore;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.VinLists;

/// <summary>The VIN lists' Excel downloads: the upload template, and a validation run's rejected VINs with their reasons.</summary>
public sealed class VinListWorkbooks(TaskValidationService validation, IDbContextFactory<OtaDbContext> contexts)
{
    private static readonly string[] RejectedColumns = ["VIN", "Codes", "Reasons"];

    /// <summary>A list to fill in: a VIN column holding <paramref name="sampleVins"/>.</summary>
    public static Task WriteTemplateAsync(string path, IEnumerable<string> sampleVins, CancellationToken ct) =>
        Workbook.SaveAsync(path, sampleVins.Select(vin => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["VIN"] = vin }),
            ["VIN"], ct);

    /// <summary>Writes the run's rejected entries; false when there is no such run.</summary>
    public async Task<bool> WriteRejectedAsync(long runId, string path, CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.ValidationRuns.AnyAsync(r => r.Id == runId, ct)) return false;
        }
        var rows = validation.ReadRejectionsAsync(runId, ct).ToBlockingEnumerable(ct).Select(r => (IReadOnlyDictionary<string, object?>)
            new Dictionary<string, object?>
            {
                ["VIN"] = r.Entry,
                ["Codes"] = string.Join(' ', r.Codes),
                ["Reasons"] = ReasonTexts.Describe(r.Codes),
            });
        await Workbook.SaveAsync(path, rows, RejectedColumns, ct);
        return true;
    }
}
